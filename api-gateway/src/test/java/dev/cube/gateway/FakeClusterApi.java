package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cube.model.DesiredState;
import dev.cube.model.ManagerInfo;
import dev.cube.model.Task;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Command;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A ClusterApi in memory: tasks and workers in maps, plus switches to fail or stall every call. */
final class FakeClusterApi implements ClusterApi {
    final Map<String, Task> tasks = new ConcurrentHashMap<>();
    final Map<String, Worker> workers = new ConcurrentHashMap<>();
    final List<Command> writes = new CopyOnWriteArrayList<>();
    final List<Duration> assignmentWaits = new CopyOnWriteArrayList<>();
    private final AtomicLong version = new AtomicLong();
    /** When set, every future fails with it. */
    volatile RuntimeException failure;
    /** When set, futures never complete. */
    volatile boolean stalled;
    /** When set, every write answers this instead of applying. */
    volatile Outcome forcedOutcome;

    /** The journal {@code GET /events} streams; tests feed it through a TaskStore that it observes. */
    volatile dev.cube.events.EventJournal journal = new dev.cube.events.EventJournal();

    @Override
    public dev.cube.events.EventJournal events() {
        return journal;
    }

    void reset() {
        journal = new dev.cube.events.EventJournal();
        leaderless = false;
        addedManagers.clear();
        tasks.clear();
        workers.clear();
        writes.clear();
        assignmentWaits.clear();
        failure = null;
        stalled = false;
        forcedOutcome = null;
    }

    @Override
    public CompletableFuture<Outcome> write(Command command) {
        writes.add(command);
        return answer(() -> forcedOutcome != null ? forcedOutcome : apply(command));
    }

    private Outcome apply(Command command) {
        long v = version.incrementAndGet();
        return switch (command) {
            case Command.SubmitTask submit -> {
                boolean taken = tasks.values().stream()
                        .anyMatch(t -> t.name().equals(submit.spec().name()) && !t.state().isTerminal());
                if (taken) {
                    yield new Outcome.Rejected(Outcome.Reason.CONFLICT,
                            "a task named '" + submit.spec().name() + "' exists");
                }
                Task task = Task.submitted(submit.taskId(), submit.spec(), submit.at(), v);
                tasks.put(task.id(), task);
                yield accepted(task);
            }
            case Command.StopTask stop -> find(stop.taskRef())
                    .map(t -> {
                        Task stopped = t.withDesired(DesiredState.STOPPED, stop.at(), v);
                        tasks.put(t.id(), stopped);
                        return (Outcome) accepted(stopped);
                    })
                    .orElse(new Outcome.Rejected(Outcome.Reason.NOT_FOUND, "no task '" + stop.taskRef() + "'"));
            case Command.RegisterWorker r -> {
                Worker worker = new Worker(r.workerId(), r.name(), r.host(), r.cpus(), r.memoryBytes(), r.labels(),
                        WorkerState.READY, r.session(), r.at(), r.at());
                workers.put(worker.id(), worker);
                yield accepted(worker);
            }
            case Command.ReportTaskStatus report -> {
                Task task = tasks.get(report.taskId());
                if (task == null) {
                    yield new Outcome.Rejected(Outcome.Reason.NOT_FOUND, "no task '" + report.taskId() + "'");
                }
                Task observed = task.observed(report.state(), report.containerId(), report.exitCode(),
                        report.error(), report.at(), v);
                tasks.put(task.id(), observed);
                yield accepted(observed);
            }
            case Command.SetWorkerAvailability set -> workers.values().stream()
                    .filter(w -> w.id().equals(set.workerRef()) || w.name().equals(set.workerRef()))
                    .findFirst()
                    .map(w -> {
                        Worker changed = w.withAvailability(set.availability(), set.at());
                        workers.put(w.id(), changed);
                        return (Outcome) accepted(changed);
                    })
                    .orElse(new Outcome.Rejected(Outcome.Reason.NOT_FOUND, "no worker '" + set.workerRef() + "'"));
            default -> new Outcome.Rejected(Outcome.Reason.INVALID, "the fake does not apply " + command);
        };
    }

    @Override
    public CompletableFuture<JsonNode> read(Query query, boolean stale) {
        return answer(() -> switch (query) {
            case Query.ListTasks list -> {
                ArrayNode array = Json.MAPPER.createArrayNode();
                tasks.values().stream()
                        .filter(t -> list.state() == null || t.state().json().equals(list.state()))
                        .forEach(t -> array.add(Json.MAPPER.valueToTree(t)));
                yield array;
            }
            case Query.GetTask get -> find(get.ref()).<JsonNode>map(Json.MAPPER::valueToTree)
                    .orElse(NullNode.getInstance());
            case Query.ListWorkers list -> Json.MAPPER.valueToTree(List.copyOf(workers.values()));
            case Query.GetWorker get -> workers.values().stream()
                    .filter(w -> w.id().equals(get.ref()) || w.name().equals(get.ref()))
                    .findFirst().<JsonNode>map(Json.MAPPER::valueToTree).orElse(null);
        });
    }

    @Override
    public CompletableFuture<Assignments> assignments(String workerId, long afterVersion, Duration wait) {
        assignmentWaits.add(wait);
        return answer(() -> new Assignments(afterVersion + 1, tasks.values().stream()
                .filter(t -> workerId.equals(t.workerId())).toList()));
    }

    @Override
    public CompletableFuture<Boolean> heartbeat(String workerId, String session) {
        return answer(() -> {
            Worker worker = workers.get(workerId);
            return worker != null && worker.session().equals(session);
        });
    }

    @Override
    public CompletableFuture<JsonNode> managers() {
        return answer(() -> Json.MAPPER.createObjectNode().put("leader", "m1").put("term", 3));
    }

    /** Members added through the API, by id. */
    final Map<String, ManagerInfo> addedManagers = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<Outcome> addManager(ManagerInfo manager) {
        return answer(() -> addedManagers.putIfAbsent(manager.id(), manager) == null
                ? new Outcome.Accepted(Json.MAPPER.valueToTree(manager))
                : new Outcome.Rejected(Outcome.Reason.CONFLICT, "manager " + manager.id() + " is a member already"));
    }

    @Override
    public CompletableFuture<Outcome> removeManager(String managerId) {
        return answer(() -> addedManagers.remove(managerId) != null
                ? new Outcome.Accepted(Json.MAPPER.createObjectNode().put("removed", managerId))
                : new Outcome.Rejected(Outcome.Reason.NOT_FOUND, "manager " + managerId + " is not a member"));
    }

    /** When set, health reports no known leader. */
    volatile boolean leaderless;

    @Override
    public JsonNode health() {
        return Json.MAPPER.createObjectNode().put("status", leaderless ? "no-leader" : "ok");
    }

    private Optional<Task> find(String ref) {
        Task byId = tasks.get(ref);
        return byId != null ? Optional.of(byId)
                : tasks.values().stream().filter(t -> t.name().equals(ref)).findFirst();
    }

    private static Outcome.Accepted accepted(Object value) {
        return new Outcome.Accepted(Json.MAPPER.valueToTree(value));
    }

    /** Completes off the caller's thread, as the real implementation does. */
    private <T> CompletableFuture<T> answer(Supplier<T> value) {
        if (stalled) {
            return new CompletableFuture<>();
        }
        RuntimeException fail = failure;
        if (fail != null) {
            return CompletableFuture.supplyAsync(() -> {
                throw fail;
            });
        }
        return CompletableFuture.supplyAsync(value);
    }
}
