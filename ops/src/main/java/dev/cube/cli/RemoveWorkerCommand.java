package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;

/** {@code cube remove-worker WORKER}: forgets a worker that was declared down; prints its id. */
@Command(name = "remove-worker",
        description = "Forget a worker (by name or id) that was declared down; its id may then register again.")
final class RemoveWorkerCommand extends WorkerCommand {
    @Override
    public Integer call() {
        JsonNode answer = cli.client().delete("/workers/" + ManagerClient.encode(worker));
        cli.out.println(cli.json() ? answer.toPrettyString() : answer.path("removed").asText(worker));
        return ExitCodes.OK;
    }
}
