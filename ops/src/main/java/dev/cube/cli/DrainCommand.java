package dev.cube.cli;

import picocli.CommandLine.Command;

/** {@code cube drain WORKER}: no new tasks go to the worker, its tasks move elsewhere. */
@Command(name = "drain", description = "Drain a worker (by name or id): it takes no new tasks and its tasks are placed elsewhere.")
final class DrainCommand extends WorkerCommand {
    @Override
    public Integer call() {
        return AvailabilityChange.apply(cli, worker, "drain");
    }
}
