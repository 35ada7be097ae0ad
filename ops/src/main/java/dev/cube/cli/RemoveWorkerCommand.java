package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cube remove-worker WORKER}: forgets a worker that was declared down; prints its id. */
@Command(name = "remove-worker",
        description = "Forget a worker (by name or id) that was declared down; its id may then register again.")
final class RemoveWorkerCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Parameters(paramLabel = "WORKER")
    String worker;

    @Override
    public Integer call() {
        JsonNode answer = cli.client().delete("/workers/" + ManagerClient.encode(worker));
        cli.out.println(cli.json() ? answer.toPrettyString() : answer.path("removed").asText(worker));
        return ExitCodes.OK;
    }
}
