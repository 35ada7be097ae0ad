package dev.cube.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.PortMapping;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Command.MarkWorkerDown;
import dev.cube.store.Command.PlaceTasks;
import dev.cube.store.Command.Placement;
import dev.cube.store.Command.RegisterWorker;
import dev.cube.store.Command.ReportTaskStatus;
import dev.cube.store.Command.StopTask;
import dev.cube.store.Command.SubmitTask;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test data: fixed instants, specs, commands, and a {@link Driver} that applies them at rising indexes. */
final class Fixtures {
    static final long MIB = 1024L * 1024;
    static final long GIB = 1024 * MIB;
    static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

    private Fixtures() {}

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static TaskSpec spec(String name) {
        return spec(name, 0.5, 256 * MIB);
    }

    static TaskSpec spec(String name, double cpus, long memoryBytes) {
        return new TaskSpec(name, "registry.local/" + name + ":1.0", List.of("/bin/run", "--port", "80"),
                Map.of("MODE", "test"), cpus, memoryBytes, List.of(new PortMapping(0, 80, "tcp")),
                Map.of("team", "cube"));
    }

    static SubmitTask submit(String taskId, String name) {
        return new SubmitTask(taskId, spec(name), at(1));
    }

    static SubmitTask submit(String taskId, TaskSpec spec) {
        return new SubmitTask(taskId, spec, at(1));
    }

    static StopTask stop(String ref) {
        return new StopTask(ref, at(50));
    }

    /** A worker with 2 cores and 4 GiB, named {@code node-<id>}. */
    static RegisterWorker register(String workerId, String session) {
        return register(workerId, session, 2.0, 4 * GIB);
    }

    static RegisterWorker register(String workerId, String session, double cpus, long memoryBytes) {
        return new RegisterWorker(workerId, "node-" + workerId, "10.0.0." + Math.abs(workerId.hashCode() % 250),
                cpus, memoryBytes, Map.of("zone", "a"), session, at(2));
    }

    /** A registration that gives the hash of a secret. */
    static RegisterWorker register(String workerId, String session, String secretHash) {
        RegisterWorker c = register(workerId, session);
        return new RegisterWorker(c.workerId(), c.name(), c.host(), c.cpus(), c.memoryBytes(), c.labels(), c.session(),
                c.at(), c.agentUrl(), secretHash);
    }

    static PlaceTasks place(String taskId, String workerId, long taskVersion) {
        return new PlaceTasks(List.of(new Placement(taskId, workerId, taskVersion)), Map.of(), at(10));
    }

    static PlaceTasks reasons(Map<String, String> reasons) {
        return new PlaceTasks(List.of(), reasons, at(11));
    }

    static ReportTaskStatus report(String taskId, String workerId, String session, TaskState state) {
        return new ReportTaskStatus(taskId, workerId, session, state,
                state == TaskState.RUNNING ? "ctr-" + taskId : null, null, null, at(20));
    }

    static ReportTaskStatus exited(String taskId, String workerId, String session, TaskState state,
                                   int exitCode, String error) {
        return new ReportTaskStatus(taskId, workerId, session, state, null, exitCode, error, at(30));
    }

    static MarkWorkerDown markDown(String workerId) {
        return new MarkWorkerDown(workerId, "missed 3 heartbeats", at(40));
    }

    /** One of each command type, every field set. */
    static List<Command> everyCommand() {
        return List.of(
                submit("t-1", "web"),
                stop("web"),
                new RegisterWorker("w-1", "node-w-1", "10.0.0.1", 2.0, 4 * GIB, Map.of("zone", "a"), "s-1", at(2),
                        "http://10.0.0.1:7070", "hash-1"),
                new PlaceTasks(List.of(new Placement("t-1", "w-1", 7), new Placement("t-2", "w-2", 9)),
                        Map.of("t-3", "0/2 workers fit: 2 insufficient memory"), at(10), 3),
                new ReportTaskStatus("t-1", "w-1", "s-1", TaskState.FAILED, "ctr-1", 3, "oom", at(30)),
                new MarkWorkerDown("w-1", "missed 3 heartbeats", at(40), 3),
                new Command.Batch(List.of(submit("t-4", "api"), stop("api")), at(40)),
                new Command.PutManager(new dev.cube.model.ManagerInfo("m4", "127.0.0.1:9873", "127.0.0.1:8083"), at(50)),
                new Command.LeaderElected("m2", at(51), 3),
                new Command.RemoveWorker("w-9", at(52)),
                new Command.RemoveManager("m4", at(60)),
                new Command.SubmitTasks(List.of(new Command.NewTask("t-5", spec("db"))), at(70)),
                new Command.SubmitReplicas("seed", spec("web"), 3, at(80)),
                new Command.ReportTaskStatuses("w-1", "s-1",
                        List.of(new Command.StatusUpdate("t-5", TaskState.RUNNING, "ctr-5", null, null)), at(90)),
                new Command.SetWorkerAvailability("w-1", dev.cube.model.Availability.DRAIN, at(100)));
    }

    /** Applies commands to a fresh {@link TaskStore} at indexes 1, 2, 3, ... */
    static final class Driver {
        final TaskStore store = new TaskStore();
        long index;

        Outcome apply(Command command) {
            return store.apply(++index, command);
        }

        JsonNode accept(Command command) {
            Outcome outcome = apply(command);
            return assertInstanceOf(Outcome.Accepted.class, outcome, () -> command + " -> " + outcome).value();
        }

        Outcome.Rejected reject(Command command, Outcome.Reason reason) {
            Outcome outcome = apply(command);
            var rejected = assertInstanceOf(Outcome.Rejected.class, outcome, () -> command + " -> " + outcome);
            assertEquals(reason, rejected.reason(), rejected::message);
            return rejected;
        }

        Task task(String ref) {
            return store.task(ref);
        }

        Task submitted(String taskId, String name) {
            accept(submit(taskId, name));
            return task(taskId);
        }

        Task submitted(String taskId, TaskSpec spec) {
            accept(submit(taskId, spec));
            return task(taskId);
        }

        /** Places the task on the worker (at the version the store holds), asserting it took effect. */
        Task scheduled(String taskId, String workerId) {
            JsonNode value = accept(place(taskId, workerId, task(taskId).version()));
            assertEquals(1, value.get("placed").asInt(), value::toString);
            return task(taskId);
        }

        Task running(String taskId, String workerId, String session) {
            scheduled(taskId, workerId);
            accept(report(taskId, workerId, session, TaskState.RUNNING));
            return task(taskId);
        }

        Task finished(String taskId, String workerId, String session, TaskState state) {
            running(taskId, workerId, session);
            accept(exited(taskId, workerId, session, state, state == TaskState.COMPLETED ? 0 : 1, null));
            return task(taskId);
        }
    }
}
