package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cube stop TASK...}: asks the managers to stop each task; prints each name as it is accepted. */
@Command(name = "stop", description = "Stop tasks (by name or id): their containers stop, their state becomes stopped.")
final class StopCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Parameters(arity = "1..*", paramLabel = "TASK")
    List<String> tasks;

    @Override
    public Integer call() {
        var stopped = ManagerClient.JSON.createArrayNode();
        for (String task : tasks) {
            JsonNode answer = cli.client().delete("/tasks/" + ManagerClient.encode(task));
            stopped.add(answer);
            if (!cli.json()) {
                cli.out.println(task);
            }
        }
        if (cli.json()) {
            cli.out.println(stopped.size() == 1 ? stopped.get(0).toPrettyString() : stopped.toPrettyString());
        }
        return ExitCodes.OK;
    }
}
