package dev.cube.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code cube inspect TASK...}: each task as JSON, as the managers store it. */
@Command(name = "inspect", description = "Show tasks in full, as JSON (by name or id).")
final class InspectCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    @Parameters(arity = "1..*", paramLabel = "TASK")
    List<String> tasks;

    @Override
    public Integer call() {
        if (tasks.size() == 1) {
            cli.out.println(cli.client().get("/tasks/" + ManagerClient.encode(tasks.getFirst())).toPrettyString());
            return ExitCodes.OK;
        }
        var all = ManagerClient.JSON.createArrayNode();
        for (String task : tasks) {
            all.add(cli.client().get("/tasks/" + ManagerClient.encode(task)));
        }
        cli.out.println(all.toPrettyString());
        return ExitCodes.OK;
    }
}
