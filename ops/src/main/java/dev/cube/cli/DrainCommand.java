package dev.cube.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cube drain WORKER}: no new tasks go to the worker, its tasks move elsewhere. */
@Command(name = "drain", description = "Drain a worker (by name or id): it takes no new tasks and its tasks are placed elsewhere.")
final class DrainCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Parameters(paramLabel = "WORKER")
    String worker;

    @Override
    public Integer call() {
        return AvailabilityChange.apply(cli, worker, "drain");
    }
}
