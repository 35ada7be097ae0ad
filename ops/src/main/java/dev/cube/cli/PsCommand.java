package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code cube ps}: the tasks, active ones by default. */
@Command(name = "ps", description = "List tasks: pending, scheduled and running ones; -a for all.")
final class PsCommand implements Callable<Integer> {
    static final Set<String> ACTIVE = Set.of("pending", "scheduled", "running");

    @ParentCommand
    CubeCli cli;

    @Option(names = {"-a", "--all"}, description = "Also finished tasks (completed, failed, stopped, lost)")
    boolean all;

    @Option(names = "--state", paramLabel = "STATE", description = "Only tasks in this state")
    String state;

    @Override
    public Integer call() {
        JsonNode tasks = cli.client().get("/tasks" + (state == null ? "" : "?state=" + ManagerClient.encode(state)));
        Table table = new Table("NAME", "ID", "STATE", "WORKER", "IMAGE", "AGE", "INFO");
        var shown = ManagerClient.JSON.createArrayNode();
        Instant now = Instant.now();
        for (JsonNode task : tasks) {
            String taskState = Formats.text(task, "state");
            if (!all && state == null && !ACTIVE.contains(taskState)) {
                continue;
            }
            shown.add(task);
            table.row(Formats.text(task, "name"), Formats.shortId(Formats.text(task, "id")), taskState,
                    Formats.text(task, "workerName"), task.path("spec").path("image").asText(""),
                    Formats.age(task.get("createdAt"), now), info(task));
        }
        if (cli.json()) {
            cli.out.println(shown.toPrettyString());
        } else {
            table.print(cli.out);
        }
        return ExitCodes.OK;
    }

    /** The reason a task waits, its error, or its exit code. */
    static String info(JsonNode task) {
        String error = Formats.text(task, "error");
        if (!error.isEmpty()) return error;
        String reason = Formats.text(task, "reason");
        if (!reason.isEmpty()) return reason;
        JsonNode exit = task.get("exitCode");
        return exit != null && exit.isNumber() ? "exit " + exit.asInt() : "";
    }
}
