package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code cube workers}: the workers with their load, i.e. the CPU and memory that their active
 * tasks (scheduled or running) reserve, out of what the worker offers.
 */
@Command(name = "workers", description = "List workers with their load: reserved/offered CPUs and memory, active tasks.")
final class WorkersCommand implements Callable<Integer> {
    @ParentCommand
    CubeCli cli;

    /** What a worker's active tasks reserve. */
    record Load(double cpus, long memoryBytes, int tasks) {
        Load plus(JsonNode spec) {
            return new Load(cpus + spec.path("cpus").asDouble(), memoryBytes + spec.path("memoryBytes").asLong(),
                    tasks + 1);
        }
    }

    @Override
    public Integer call() {
        JsonNode workers = cli.client().get("/workers");
        Map<String, Load> loads = loads(cli.client().get("/tasks"));
        if (cli.json()) {
            var list = ManagerClient.JSON.createArrayNode();
            for (JsonNode worker : workers) {
                Load load = loads.getOrDefault(Formats.text(worker, "id"), new Load(0, 0, 0));
                ObjectNode copy = ((ObjectNode) worker).deepCopy();
                copy.putObject("load").put("cpus", load.cpus()).put("memoryBytes", load.memoryBytes())
                        .put("tasks", load.tasks());
                list.add(copy);
            }
            cli.out.println(list.toPrettyString());
            return ExitCodes.OK;
        }
        Table table = new Table("NAME", "ID", "STATE", "AVAILABILITY", "CPUS", "MEMORY", "TASKS", "HOST");
        for (JsonNode worker : workers) {
            Load load = loads.getOrDefault(Formats.text(worker, "id"), new Load(0, 0, 0));
            table.row(Formats.text(worker, "name"), Formats.shortId(Formats.text(worker, "id")),
                    Formats.text(worker, "state"), worker.path("availability").asText("active"),
                    Formats.cpus(load.cpus()) + "/" + Formats.cpus(worker.path("cpus").asDouble()),
                    Formats.bytes(load.memoryBytes()) + "/" + Formats.bytes(worker.path("memoryBytes").asDouble()),
                    load.tasks(), Formats.text(worker, "host"));
        }
        table.print(cli.out);
        return ExitCodes.OK;
    }

    /** Per worker id, what its scheduled and running tasks reserve. */
    static Map<String, Load> loads(JsonNode tasks) {
        Map<String, Load> loads = new HashMap<>();
        for (JsonNode task : tasks) {
            String workerId = Formats.text(task, "workerId");
            String state = Formats.text(task, "state");
            if (!workerId.isEmpty() && (state.equals("scheduled") || state.equals("running"))) {
                loads.merge(workerId, new Load(0, 0, 0).plus(task.path("spec")),
                        (a, b) -> new Load(a.cpus() + b.cpus(), a.memoryBytes() + b.memoryBytes(), a.tasks() + b.tasks()));
            }
        }
        return loads;
    }
}
