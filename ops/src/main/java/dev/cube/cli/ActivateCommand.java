package dev.cube.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cube activate WORKER}: the worker takes tasks again after a drain. */
@Command(name = "activate", description = "Make a drained worker (by name or id) take tasks again.")
final class ActivateCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Parameters(paramLabel = "WORKER")
    String worker;

    @Override
    public Integer call() {
        return AvailabilityChange.apply(cli, worker, "activate");
    }
}
