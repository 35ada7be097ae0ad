package dev.cube.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.cube.model.Availability;
import dev.cube.model.DesiredState;
import dev.cube.model.ManagerInfo;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Command.MarkWorkerDown;
import dev.cube.store.Command.PlaceTasks;
import dev.cube.store.Command.Placement;
import dev.cube.store.Command.RegisterWorker;
import dev.cube.store.Command.ReportTaskStatus;
import dev.cube.store.Command.StopTask;
import dev.cube.store.Command.SubmitTask;
import dev.cube.store.Outcome.Accepted;
import dev.cube.store.Outcome.Reason;
import dev.cube.store.Outcome.Rejected;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The replicated store of tasks and workers. {@link #apply} is deterministic: the same commands
 * at the same indexes give the same store on every manager. It never reads a clock or throws for
 * a business reason; a refused command returns {@link Rejected} and changes nothing.
 */
public final class TaskStore {
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    /** Name → id of the newest task of that name. */
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    /** The quorum's directory: addresses of managers added at run time. */
    private final Map<String, ManagerInfo> managers = new LinkedHashMap<>();
    /** Derived from {@link #tasks}: what each worker's live tasks hold. */
    private final Map<String, Allocation> allocations = new HashMap<>();
    /**
     * Derived: tasks waiting for a placement (pending, desired running), oldest first, each with its
     * current record: the scheduler reads tens of thousands a pass, and a lookup in {@link #tasks}
     * per task (a million entries, scattered in memory) cost more than the pass's planning.
     */
    private final Map<String, Task> pending = new LinkedHashMap<>();
    /** Derived: the pending tasks waiting to restart, and until when. */
    private final Map<String, Instant> waiting = new HashMap<>();
    /** Derived: how many tasks are in each state. */
    private final long[] stateCounts = new long[TaskState.values().length];
    /** Derived: ids of the tasks active on each worker (placed, not finished), by placement and by last change. */
    private final Map<String, HeldTasks> workerTasks = new HashMap<>();
    /**
     * Derived: index of the last change to each worker's assignments, for its long-poll. Read without
     * the store's lock: every applied entry checks each open long-poll against it.
     */
    private final Map<String, Long> assignmentVersions = new java.util.concurrent.ConcurrentHashMap<>();
    private long version;
    /** Who is told of each change (the event journal, metrics); empty by default. */
    private final List<StoreChanges> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** True while a snapshot is being restored: restoring is not a change. */
    private boolean restoring;
    /** Index of the last change to what workers offer or hold: registrations, downs, placements, task ends. */
    private long capacityVersion;
    /** See {@link #boxed}. */
    private Long boxedVersion;

    /** {@code observer} is told of every change from now on (see {@link StoreChanges}). */
    public void observe(StoreChanges observer) {
        observers.add(observer);
    }

    /** Applies a command of an entry whose term is not known: leader duties go unfenced. */
    public Outcome apply(long index, Command command) {
        return apply(0, index, command);
    }

    /** Applies the command of the log entry at {@code index}, appended in {@code term}. */
    public synchronized Outcome apply(long term, long index, Command command) {
        version = index;
        return switch (command) {
            case Command.Batch c -> new Outcome.Batch(c.commands().stream()
                    .map(inner -> inner instanceof Command.Batch
                            ? new Rejected(Reason.INVALID, "batches do not nest")
                            : apply(term, index, inner))
                    .toList());
            case SubmitTask c -> submit(index, c);
            case StopTask c -> stop(index, c);
            case RegisterWorker c -> register(c);
            case PlaceTasks c -> place(term, index, c);
            case ReportTaskStatus c -> report(index, c);
            case MarkWorkerDown c -> markDown(term, index, c);
            case Command.SetWorkerAvailability c -> setAvailability(index, c);
            case Command.SubmitTasks c -> submitAll(index, c.tasks(), c.at());
            case Command.SubmitReplicas c -> submitReplicas(index, c);
            case Command.ReportTaskStatuses c -> reportAll(index, c);
            case Command.PutManager c -> putManager(index, c.manager().id(), c.manager());
            case Command.LeaderElected c -> leaderElected(term, index, c);
            case Command.RemoveWorker c -> removeWorker(index, c);
            case Command.RemoveManager c -> !managers.containsKey(c.managerId())
                    ? new Rejected(Reason.NOT_FOUND, "no manager " + c.managerId() + " in the directory")
                    : putManager(index, c.managerId(), null);
        };
    }

    /**
     * A leader's decision counts only in entries of the term it led in: a deposed leader's write
     * reaches the log through its successor, in a later term, and decided on a view it no longer had.
     * Null when the decision stands (or either term is unknown).
     */
    private static Rejected outsideTerm(long decidedIn, long entryTerm) {
        return decidedIn == 0 || entryTerm == 0 || decidedIn == entryTerm ? null
                : new Rejected(Reason.STALE, "decided by the leader of term " + decidedIn
                        + ", but its entry is of term " + entryTerm);
    }

    private Outcome submit(long index, SubmitTask c) {
        Task holder = taskByName(c.spec().name());
        if (holder != null && !holder.state().isTerminal()) {
            return new Rejected(Reason.CONFLICT, "task name '" + c.spec().name() + "' is in use by task "
                    + holder.id() + " (" + holder.state().json() + ")");
        }
        if (tasks.containsKey(c.taskId())) {
            return new Rejected(Reason.CONFLICT, "task id " + c.taskId() + " exists already");
        }
        Task task = Task.submitted(c.taskId(), c.spec(), c.at(), index);
        put(task);
        names.put(task.name(), task.id());
        return accepted(task);
    }

    /** All or none: every name must be free (of live tasks) and given once, every id new. */
    private Outcome submitAll(long index, List<Command.NewTask> batch, java.time.Instant at) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < batch.size(); i++) {
            Command.NewTask t = batch.get(i);
            String refusal = nameRefusal(t.spec().name());
            if (refusal == null && !seen.add(t.spec().name())) {
                refusal = "task name '" + t.spec().name() + "' is given twice";
            }
            if (refusal == null && tasks.containsKey(t.taskId())) {
                refusal = "task id " + t.taskId() + " exists already";
            }
            if (refusal != null) {
                return new Rejected(Reason.CONFLICT, "[" + i + "]: " + refusal + "; no task was submitted");
            }
        }
        var list = Json.MAPPER.createArrayNode();
        for (Command.NewTask t : batch) {
            Task task = Task.submitted(t.taskId(), t.spec(), at, index);
            put(task);
            names.put(task.name(), task.id());
            list.addObject().put("id", task.id()).put("name", task.name());
        }
        var value = Json.MAPPER.createObjectNode().put("submitted", batch.size());
        value.set("tasks", list);
        return new Accepted(value);
    }

    private Outcome submitReplicas(long index, Command.SubmitReplicas c) {
        if (c.count() < 1) {
            return new Rejected(Reason.INVALID, "count must be at least 1, not " + c.count());
        }
        String base = c.spec().name();
        if (tasks.containsKey(Command.SubmitReplicas.replicaId(c.idSeed(), 1))) {   // tasks are never removed
            return new Rejected(Reason.CONFLICT, "replicas of seed " + c.idSeed() + " exist already");
        }
        for (int i = 1; i <= c.count(); i++) {
            String refusal = nameRefusal(Command.SubmitReplicas.replicaName(base, i));
            if (refusal != null) {
                return new Rejected(Reason.CONFLICT, refusal + "; no task was submitted");
            }
        }
        Task first = null;
        Task last = null;
        for (int i = 1; i <= c.count(); i++) {
            last = Task.submitted(Command.SubmitReplicas.replicaId(c.idSeed(), i),
                    Command.SubmitReplicas.replicaName(base, i), c.spec(), c.at(), index);
            if (first == null) first = last;
            put(last);
            names.put(last.name(), last.id());
        }
        var value = Json.MAPPER.createObjectNode().put("submitted", c.count());
        value.putObject("first").put("id", first.id()).put("name", first.name());
        value.putObject("last").put("id", last.id()).put("name", last.name());
        return new Accepted(value);
    }

    /** Why a new task may not take this name, or null if it may. */
    private String nameRefusal(String name) {
        Task holder = taskByName(name);
        return holder != null && !holder.state().isTerminal()
                ? "task name '" + name + "' is in use by task " + holder.id() + " (" + holder.state().json() + ")"
                : null;
    }

    private Outcome stop(long index, StopTask c) {
        Task task = task(c.taskRef());
        if (task == null) {
            return new Rejected(Reason.NOT_FOUND, "no task with name or id '" + c.taskRef() + "'");
        }
        if (task.state().isTerminal() || task.desiredState() == DesiredState.STOPPED) {
            return accepted(task);
        }
        Task stopped = task.withDesired(DesiredState.STOPPED, c.at(), index);
        if (task.state() == TaskState.PENDING) {
            stopped = stopped.observed(TaskState.STOPPED, null, null, null, c.at(), index);
        }
        put(stopped);
        return accepted(stopped);
    }

    private Outcome register(RegisterWorker c) {
        Worker known = workers.get(c.workerId());
        if (known != null && known.secretHash() != null && !known.secretHash().equals(c.secretHash())) {
            return new Rejected(Reason.FORBIDDEN, "worker id " + c.workerId() + " is registered with another secret"
                    + (c.secretHash() == null ? " and this registration gave none" : ""));
        }
        Worker worker = new Worker(c.workerId(), c.name(), c.host(), c.cpus(), c.memoryBytes(), c.labels(),
                WorkerState.READY, c.session(), known == null ? c.at() : known.registeredAt(), c.at(),
                known == null ? null : known.availability(), c.agentUrl(),   // a drain outlives restarts
                c.secretHash());   // the known hash, if there was one (checked above)
        putWorker(worker);
        capacityVersion = version;
        return accepted(worker);
    }

    private Outcome place(long term, long index, PlaceTasks c) {
        Rejected stale = outsideTerm(c.leaderTerm(), term);
        if (stale != null) return stale;
        int placed = 0;
        List<String> refused = new ArrayList<>();
        for (Placement p : c.placements()) {
            Task task = tasks.get(p.taskId());
            Worker worker = workers.get(p.workerId());
            String why = placementRefusal(p, task, worker, c.at());
            if (why == null) {
                put(task.scheduledOn(worker, c.at(), index));
                placed++;
            } else {
                refused.add(p.taskId() + ": " + why);
            }
        }
        c.reasons().forEach((taskId, reason) -> {
            Task task = tasks.get(taskId);
            if (task != null && task.state() == TaskState.PENDING && !reason.equals(task.reason())) {
                put(task.withReason(reason, c.at(), index));
            }
        });
        return new Accepted(Json.MAPPER.createObjectNode().put("placed", placed)
                .set("refused", Json.MAPPER.valueToTree(refused)));
    }

    /** Why a placement cannot take effect, or null if it can. */
    private String placementRefusal(Placement p, Task task, Worker worker, Instant at) {
        if (task == null) return "no such task";
        if (task.state() != TaskState.PENDING || task.desiredState() != DesiredState.RUNNING) {
            return "task is " + task.state().json();
        }
        if (task.version() != p.taskVersion()) return "task changed since version " + p.taskVersion();
        if (task.notBefore() != null && at.isBefore(task.notBefore())) return "task restarts at " + task.notBefore();
        if (worker == null) return "no such worker " + p.workerId();
        if (worker.state() != WorkerState.READY) return "worker " + worker.id() + " is " + worker.state().json();
        if (worker.availability() != Availability.ACTIVE) return "worker " + worker.id() + " is draining";
        Allocation held = allocation(worker.id());
        Allocation after = held.plus(task.spec());
        if (after.milliCpus() > Allocation.milliCpus(worker.cpus()) || after.memoryBytes() > worker.memoryBytes()) {
            return "worker " + worker.id() + " lacks capacity";
        }
        for (String port : Allocation.hostPorts(task.spec())) {
            if (held.hostPorts().contains(port)) return "port " + port + " is in use on worker " + worker.id();
        }
        return null;
    }

    private Outcome report(long index, ReportTaskStatus c) {
        Worker worker = workers.get(c.workerId());
        if (worker == null || !worker.session().equals(c.session())) {
            if (!tasks.containsKey(c.taskId())) {
                return new Rejected(Reason.NOT_FOUND, "no task with id " + c.taskId());
            }
            return new Rejected(Reason.STALE, "worker " + c.workerId() + " reports from an outdated session");
        }
        Observed observed = observe(index, c.workerId(), new Command.StatusUpdate(c.taskId(), c.state(),
                c.containerId(), c.exitCode(), c.error()), c.at());
        return observed.refusal() != null ? observed.refusal() : accepted(observed.task());
    }

    private Outcome reportAll(long index, Command.ReportTaskStatuses c) {
        Worker worker = workers.get(c.workerId());
        if (worker == null || !worker.session().equals(c.session())) {
            return new Rejected(Reason.STALE, "worker " + c.workerId() + " reports from an outdated session");
        }
        int accepted = 0;
        var refused = Json.MAPPER.createArrayNode();
        for (Command.StatusUpdate update : c.reports()) {
            if (observe(index, c.workerId(), update, c.at()).refusal() instanceof Rejected r) {
                refused.addObject().put("taskId", update.taskId()).put("reason", r.reason().name().toLowerCase())
                        .put("error", r.message());
            } else {
                accepted++;
            }
        }
        var value = Json.MAPPER.createObjectNode().put("accepted", accepted);
        value.set("refused", refused);
        return new Accepted(value);
    }

    /** The task after an observation, or why the observation was refused. */
    private record Observed(Task task, Rejected refusal) {
        static Observed refused(Reason reason, String message) {
            return new Observed(null, new Rejected(reason, message));
        }
    }

    /** One observation of a worker whose session was checked. */
    private Observed observe(long index, String workerId, Command.StatusUpdate c, java.time.Instant at) {
        Task task = tasks.get(c.taskId());
        if (task == null) {
            return Observed.refused(Reason.NOT_FOUND, "no task with id " + c.taskId());
        }
        if (!workerId.equals(task.workerId())) {
            return Observed.refused(Reason.STALE, "task " + task.id() + " is not assigned to worker " + workerId);
        }
        if (c.state() == task.state()) {
            return new Observed(task, null);
        }
        if (c.state() == TaskState.PENDING || c.state() == TaskState.SCHEDULED || !task.state().canMoveTo(c.state())) {
            return Observed.refused(Reason.INVALID, "task " + task.id() + " cannot move from "
                    + task.state().json() + " to " + c.state().json());
        }
        Task next = task.observed(c.state(), c.containerId(), c.exitCode(), c.error(), at, index);
        if (next.state().isTerminal()) {
            next = Restarts.after(next, at, index);
        }
        put(next);
        return new Observed(next, null);
    }

    /**
     * The worker is down: its tasks that should run are placed again (a new attempt, the lost run
     * kept in their history); those that were being stopped count as stopped.
     */
    private Outcome markDown(long term, long index, MarkWorkerDown c) {
        Rejected stale = outsideTerm(c.leaderTerm(), term);
        if (stale != null) return stale;
        Worker worker = workers.get(c.workerId());
        if (worker == null) {
            return new Rejected(Reason.NOT_FOUND, "no worker " + c.workerId());
        }
        capacityVersion = index;
        String why = "worker " + worker.name() + " (" + worker.id() + ") was declared down: " + c.reason();
        for (String taskId : heldIds(worker.id())) {
            Task task = tasks.get(taskId);
            if (!task.state().isTerminal()) {
                put(task.desiredState() == DesiredState.RUNNING
                        ? task.rescheduled(why, c.at(), index)
                        : task.observed(TaskState.STOPPED, null, null, why, c.at(), index));
            }
        }
        putWorker(worker.withState(WorkerState.DOWN, c.at()));   // observers see the tasks' changes first
        return accepted(workers.get(worker.id()));
    }

    /**
     * Drain: the worker takes nothing new, and each of its live tasks that should run is placed again
     * as a new attempt (this run kept in its history); tasks being stopped finish stopping there.
     * Activate: it takes tasks again. The worker stops the moved containers as its assignments change.
     */
    private Outcome setAvailability(long index, Command.SetWorkerAvailability c) {
        Worker worker = worker(c.workerRef());
        if (worker == null) {
            return new Rejected(Reason.NOT_FOUND, "no worker with name or id '" + c.workerRef() + "'");
        }
        if (worker.availability() == c.availability()) {
            return accepted(worker);
        }
        putWorker(worker.withAvailability(c.availability(), c.at()));
        capacityVersion = index;
        if (c.availability() == Availability.DRAIN) {
            String why = "worker " + worker.name() + " (" + worker.id() + ") was drained";
            for (Task task : List.copyOf(tasks.values())) {
                if (worker.id().equals(task.workerId()) && !task.state().isTerminal()
                        && task.desiredState() == DesiredState.RUNNING) {
                    put(task.movedOffDrainedWorker(why, c.at(), index));
                }
            }
        }
        return accepted(workers.get(worker.id()));
    }

    /** Replaces a task and keeps the per-worker allocation in step with it. */
    private void putWorker(Worker worker) {
        Worker before = workers.put(worker.id(), worker);
        observers.forEach(o -> o.workerChanged(version, before, worker));
    }

    private Outcome removeWorker(long index, Command.RemoveWorker c) {
        Worker worker = workers.get(c.workerRef());
        if (worker == null) {
            List<Worker> named = workers.values().stream().filter(w -> w.name().equals(c.workerRef())).toList();
            if (named.size() > 1) {
                return new Rejected(Reason.CONFLICT, "workers " + named.stream().map(Worker::id).toList()
                        + " are all named '" + c.workerRef() + "': give the id of the one to remove");
            }
            worker = named.isEmpty() ? null : named.getFirst();
        }
        if (worker == null) {
            return new Rejected(Reason.NOT_FOUND, "no worker with name or id '" + c.workerRef() + "'");
        }
        if (worker.state() != WorkerState.DOWN) {
            return new Rejected(Reason.CONFLICT, "worker " + worker.name() + " (" + worker.id() + ") is "
                    + worker.state().json() + ": only a worker declared down can be removed (stop it first)");
        }
        if (!heldIds(worker.id()).isEmpty()) {   // a down worker's tasks were placed again or stopped
            return new Rejected(Reason.CONFLICT, "worker " + worker.id() + " still holds tasks " + heldIds(worker.id()));
        }
        workers.remove(worker.id());
        allocations.remove(worker.id());
        assignmentVersions.remove(worker.id());
        capacityVersion = index;
        Worker removed = worker;
        observers.forEach(o -> o.workerRemoved(index, removed));
        return accepted(Map.of("removed", worker.id()));
    }

    private Outcome leaderElected(long term, long index, Command.LeaderElected c) {
        Rejected stale = outsideTerm(c.leaderTerm(), term);
        if (stale != null) return stale;
        observers.forEach(o -> o.leaderElected(index, c.managerId(), c.leaderTerm(), c.at()));
        return new Accepted(Json.MAPPER.createObjectNode().put("leader", c.managerId()).put("term", c.leaderTerm()));
    }

    /** Puts a manager into the directory, or removes it ({@code manager} null). */
    private Outcome putManager(long index, String managerId, ManagerInfo manager) {
        ManagerInfo before = manager == null ? managers.remove(managerId) : managers.put(managerId, manager);
        if (!java.util.Objects.equals(before, manager)) {
            observers.forEach(o -> o.managerChanged(index, managerId, before, manager));
        }
        return manager == null ? accepted(Map.of("removed", managerId)) : accepted(manager);
    }

    private void put(Task task) {
        Task old = tasks.put(task.id(), task);
        if (!restoring && !observers.isEmpty()) {
            observers.forEach(o -> o.taskChanged(version, old, task));
        }
        if (old == null || old.state() != task.state()) {
            if (old != null) stateCounts[old.state().ordinal()]--;
            stateCounts[task.state().ordinal()]++;
        }
        boolean wasPending = old != null && isPending(old);
        if (isPending(task)) {
            pending.put(task.id(), task);   // a pending task changed again keeps its place
            if (task.notBefore() != null) waiting.put(task.id(), task.notBefore()); else waiting.remove(task.id());
        } else if (wasPending) {
            pending.remove(task.id());
            waiting.remove(task.id());
        }
        boolean news = workerMustAct(old, task);
        if (news) {
            if (old != null && old.workerId() != null) assignmentVersions.put(old.workerId(), task.version());
            if (task.workerId() != null) assignmentVersions.put(task.workerId(), task.version());
        }
        boolean heldBefore = old != null && old.isActiveOnWorker();
        boolean heldNow = task.isActiveOnWorker();
        if (heldBefore || heldNow) {
            capacityVersion = task.version();
        }
        boolean staysOnWorker = heldBefore && heldNow && task.workerId().equals(old.workerId());
        if (staysOnWorker && old.spec() == task.spec()) {   // holds what it held
            if (news) workerTasks.get(task.workerId()).put(task.id(), boxed(task.version()));
            return;
        }
        if (heldBefore) {
            allocations.merge(old.workerId(), Allocation.NONE.plus(old.spec()), (a, b) -> a.minus(old.spec()));
        }
        if (heldBefore && !staysOnWorker) {
            HeldTasks held = workerTasks.get(old.workerId());
            held.remove(old.id());
            if (held.isEmpty()) workerTasks.remove(old.workerId());
        }
        if (heldNow) {
            workerTasks.computeIfAbsent(task.workerId(), w -> new HeldTasks()).put(task.id(), boxed(task.version()));
            allocations.merge(task.workerId(), Allocation.NONE.plus(task.spec()), (a, b) -> a.plus(task.spec()));
        }
    }

    /** The tasks an entry changes share one boxed version in the held-task index: a million fewer objects. */
    private Long boxed(long taskVersion) {
        if (boxedVersion == null || boxedVersion != taskVersion) boxedVersion = taskVersion;
        return boxedVersion;
    }

    private static boolean isPending(Task task) {
        return task.state() == TaskState.PENDING && task.desiredState() == DesiredState.RUNNING;
    }

    /**
     * Whether a change is news to the workers involved: where the task runs, what is wanted of it,
     * its run or its spec changed. A worker's own report (running, exited) wakes no long-poll, which
     * halves the answers a worker gets for a task; the worker reconciles on its next poll anyway.
     */
    private static boolean workerMustAct(Task old, Task task) {
        return old == null
                || !java.util.Objects.equals(old.workerId(), task.workerId())
                || old.desiredState() != task.desiredState()
                || old.attempt() != task.attempt()
                || !old.spec().equals(task.spec());
    }

    private static Accepted accepted(Object value) {
        return new Accepted(Json.MAPPER.valueToTree(value));
    }

    private Task taskByName(String name) {
        String id = names.get(name);
        return id == null ? null : tasks.get(id);
    }

    // ---- reads ------------------------------------------------------------------------------

    /** Index of the last applied command. */
    public synchronized long version() {
        return version;
    }

    /** A task by id, or the newest task of that name. */
    public synchronized Task task(String ref) {
        Task byId = tasks.get(ref);
        return byId != null ? byId : taskByName(ref);
    }

    /** Up to {@code limit} tasks waiting for a placement, oldest first. */
    public synchronized List<Task> pendingTasks(int limit) {
        return pendingTasks(0, limit);
    }

    /** Up to {@code limit} tasks waiting for a placement, oldest first, after the {@code skip} oldest. */
    public synchronized List<Task> pendingTasks(int skip, int limit) {
        return pending.values().stream().skip(skip).limit(limit).toList();
    }

    /** Up to {@code limit} tasks that may be placed at {@code now}, oldest first: restarts wait for their time. */
    public synchronized List<Task> pendingTasks(int limit, Instant now) {
        return pendingTasks(0, limit, now);
    }

    /** Like {@link #pendingTasks(int, Instant)}, after the {@code skip} oldest of those tasks. */
    public synchronized List<Task> pendingTasks(int skip, int limit, Instant now) {
        if (waiting.isEmpty()) return pendingTasks(skip, limit);
        return pending.values().stream()
                .filter(task -> task.notBefore() == null || !now.isBefore(task.notBefore()))
                .skip(skip).limit(limit).toList();
    }

    /** The earliest time after {@code now} at which a waiting restart may be placed, or null if none waits. */
    public synchronized Instant nextRestartAfter(Instant now) {
        return waiting.values().stream().filter(now::isBefore).min(Comparator.naturalOrder()).orElse(null);
    }

    /** How many tasks are in {@code state}. */
    public synchronized long count(TaskState state) {
        return stateCounts[state.ordinal()];
    }

    public synchronized List<Task> tasks() {
        return List.copyOf(tasks.values());
    }

    public synchronized Worker worker(String ref) {
        Worker byId = workers.get(ref);
        if (byId != null) return byId;
        return workers.values().stream().filter(w -> w.name().equals(ref)).findFirst().orElse(null);
    }

    public synchronized List<Worker> workers() {
        return List.copyOf(workers.values());
    }

    public synchronized List<ManagerInfo> managers() {
        return List.copyOf(managers.values());
    }

    public synchronized Allocation allocation(String workerId) {
        return allocations.getOrDefault(workerId, Allocation.NONE);
    }

    /** Index of the last change to the fleet's capacity: a pending task's fit can change only then. */
    public synchronized long capacityVersion() {
        return capacityVersion;
    }

    /** Index of the last change to a worker's assignments (0 if none). */
    public long assignmentVersion(String workerId) {
        return assignmentVersions.getOrDefault(workerId, 0L);
    }

    /** The unfinished tasks placed on a worker: what it must run or stop. */
    public synchronized List<Task> assignments(String workerId) {
        return heldIds(workerId).stream().map(tasks::get).toList();
    }

    /**
     * Those of {@link #assignments} with a change after {@code version} that their worker must act on
     * (see {@link #workerMustAct}: placed, to be stopped, placed again, a new spec), oldest first. The
     * worker's own reports are no news to it: a task it reported running is not sent back.
     */
    public synchronized List<Task> assignmentsChangedAfter(String workerId, long version) {
        HeldTasks held = workerTasks.get(workerId);
        return held == null ? List.of() : held.changedAfter(version).stream().map(tasks::get).toList();
    }

    private List<String> heldIds(String workerId) {
        HeldTasks held = workerTasks.get(workerId);
        return held == null ? List.of() : held.ids();
    }

    public JsonNode query(Query query) {
        Object answer = switch (query) {
            case Query.ListTasks q -> q.state() == null ? tasks()
                    : tasks().stream().filter(t -> t.state().json().equals(q.state())).toList();
            case Query.GetTask q -> task(q.ref());
            case Query.ListWorkers q -> workers();
            case Query.GetWorker q -> worker(q.ref());
        };
        return answer == null ? NullNode.getInstance() : Json.MAPPER.valueToTree(answer);
    }

    // ---- snapshots --------------------------------------------------------------------------

    public synchronized StoreImage image() {
        return new StoreImage(version, tasks(), workers(), Map.copyOf(names), managers());
    }

    public synchronized void restore(StoreImage image) {
        tasks.clear();
        names.clear();
        workers.clear();
        allocations.clear();
        assignmentVersions.clear();
        workerTasks.clear();
        pending.clear();
        waiting.clear();
        java.util.Arrays.fill(stateCounts, 0);
        managers.clear();
        image.managers().forEach(m -> managers.put(m.id(), m));
        image.workers().forEach(w -> workers.put(w.id(), w));
        restoring = true;
        try {
            // Replicas share one spec in memory (see submitReplicas); a snapshot holds a copy per task.
            Task previous = null;
            for (Task task : image.tasks()) {
                Task shared = previous != null && task.spec().equals(previous.spec())
                        ? task.withSpecShared(previous.spec()) : task;
                put(shared);
                previous = shared;
            }
        } finally {
            restoring = false;
        }
        names.putAll(image.names());
        version = image.version();
        capacityVersion = version;
        observers.forEach(o -> o.restored(image.version()));
    }
}
