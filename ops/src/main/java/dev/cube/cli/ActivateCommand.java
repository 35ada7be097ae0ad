package dev.cube.cli;

import picocli.CommandLine.Command;

/** {@code cube activate WORKER}: the worker takes tasks again after a drain. */
@Command(name = "activate", description = "Make a drained worker (by name or id) take tasks again.")
final class ActivateCommand extends WorkerCommand {
    @Override
    public Integer call() {
        return AvailabilityChange.apply(cli, worker, "activate");
    }
}
