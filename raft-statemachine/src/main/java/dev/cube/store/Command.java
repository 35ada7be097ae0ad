package dev.cube.store;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.cube.model.Availability;
import dev.cube.model.ManagerInfo;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A change to the store: one Raft log entry. Everything apply needs (ids, times) is inside the
 * command, so every manager applies it to the same result. Type tags are append-only: old logs replay.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Command.SubmitTask.class, name = "submit-task"),
        @JsonSubTypes.Type(value = Command.StopTask.class, name = "stop-task"),
        @JsonSubTypes.Type(value = Command.RegisterWorker.class, name = "register-worker"),
        @JsonSubTypes.Type(value = Command.PlaceTasks.class, name = "place-tasks"),
        @JsonSubTypes.Type(value = Command.ReportTaskStatus.class, name = "report-task-status"),
        @JsonSubTypes.Type(value = Command.MarkWorkerDown.class, name = "mark-worker-down"),
        @JsonSubTypes.Type(value = Command.Batch.class, name = "batch"),
        @JsonSubTypes.Type(value = Command.PutManager.class, name = "put-manager"),
        @JsonSubTypes.Type(value = Command.RemoveManager.class, name = "remove-manager"),
        @JsonSubTypes.Type(value = Command.SetWorkerAvailability.class, name = "set-worker-availability"),
        @JsonSubTypes.Type(value = Command.SubmitTasks.class, name = "submit-tasks"),
        @JsonSubTypes.Type(value = Command.SubmitReplicas.class, name = "submit-replicas"),
        @JsonSubTypes.Type(value = Command.ReportTaskStatuses.class, name = "report-task-statuses"),
        @JsonSubTypes.Type(value = Command.LeaderElected.class, name = "leader-elected"),
        @JsonSubTypes.Type(value = Command.RemoveWorker.class, name = "remove-worker"),
})
public sealed interface Command {

    /** When the command was made (by the gateway or the leader, never by apply). */
    Instant at();

    /** A new task; refused with CONFLICT while another live task holds the name. */
    record SubmitTask(String taskId, TaskSpec spec, Instant at) implements Command {}

    /** Desired state becomes stopped; {@code taskRef} is an id or a name. */
    record StopTask(String taskRef, Instant at) implements Command {}

    /**
     * A worker (re)registers; the new session fences reports of its previous incarnation.
     * {@code agentUrl} (null for older workers) is where its agent serves container logs.
     * {@code secretHash} is the SHA-256 (hex) of the secret the worker presented (null: none): an id
     * first registered with a secret is refused with FORBIDDEN to any other (or none), as Nomad binds
     * a node's id to its secret id. The secret itself never enters the log.
     */
    record RegisterWorker(String workerId, String name, String host, double cpus, long memoryBytes,
                          Map<String, String> labels, String session, Instant at, String agentUrl,
                          String secretHash)
            implements Command {

        @com.fasterxml.jackson.annotation.JsonCreator
        public RegisterWorker {}

        /** A registration without a secret. */
        public RegisterWorker(String workerId, String name, String host, double cpus, long memoryBytes,
                              Map<String, String> labels, String session, Instant at, String agentUrl) {
            this(workerId, name, host, cpus, memoryBytes, labels, session, at, agentUrl, null);
        }

        /** A registration without an agent URL. */
        public RegisterWorker(String workerId, String name, String host, double cpus, long memoryBytes,
                              Map<String, String> labels, String session, Instant at) {
            this(workerId, name, host, cpus, memoryBytes, labels, session, at, null);
        }
    }

    /**
     * The scheduler's decisions, one entry per pass. A placement takes effect only if the task is
     * still at the version the scheduler saw; {@code reasons} explain tasks left pending.
     *
     * @param leaderTerm the Raft term whose leader decided the pass: the whole pass is refused in an
     *                   entry of another term (a deposed leader's write, appended by its successor);
     *                   0 leaves it unfenced
     */
    record PlaceTasks(List<Placement> placements, Map<String, String> reasons, Instant at, long leaderTerm)
            implements Command {
        public PlaceTasks {
            placements = placements == null ? List.of() : List.copyOf(placements);
            reasons = reasons == null ? Map.of() : Map.copyOf(reasons);
        }

        /** An unfenced pass. */
        public PlaceTasks(List<Placement> placements, Map<String, String> reasons, Instant at) {
            this(placements, reasons, at, 0);
        }
    }

    /**
     * One task on one worker. Written as {@code ["taskId", "workerId", taskVersion]}: a pass holds
     * tens of thousands, and every manager reads them; logs of older managers hold objects, which
     * still read.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"taskId", "workerId", "taskVersion"})
    @JsonDeserialize(using = PlacementReader.class)
    record Placement(String taskId, String workerId, long taskVersion) {}

    /** What a worker observed of one of its tasks; refused from a stale session. */
    record ReportTaskStatus(String taskId, String workerId, String session, TaskState state,
                            String containerId, Integer exitCode, String error, Instant at) implements Command {}

    /**
     * The leader declares a worker down: each of its live tasks is placed again as a new attempt
     * (the lost run kept in the task's history), or counts as stopped if it was being stopped.
     * {@code leaderTerm} fences it as in {@link PlaceTasks}.
     */
    record MarkWorkerDown(String workerId, String reason, Instant at, long leaderTerm) implements Command {
        /** An unfenced declaration. */
        public MarkWorkerDown(String workerId, String reason, Instant at) {
            this(workerId, reason, at, 0);
        }
    }

    /**
     * The operator drains a worker (it takes nothing new, and each of its live tasks that should run
     * is placed again elsewhere as a new attempt) or makes it active again. {@code workerRef} is an
     * id or a name; NOT_FOUND if no worker has it.
     */
    record SetWorkerAvailability(String workerRef, Availability availability, Instant at) implements Command {}

    /**
     * The operator forgets a worker that was declared down (as {@code docker node rm} or {@code nomad
     * node purge}): it leaves the store, and its id may register again with any secret. {@code
     * workerRef} is an id or a name held by one worker; refused with CONFLICT while the worker is
     * not down.
     */
    record RemoveWorker(String workerRef, Instant at) implements Command {}

    /** Records a quorum member's addresses in the directory (the Raft membership itself is Ratis's). */
    record PutManager(ManagerInfo manager, Instant at) implements Command {}

    /** Forgets a quorum member that left. */
    record RemoveManager(String managerId, Instant at) implements Command {}

    /**
     * A manager tells that it leads from term {@code leaderTerm} on: it changes no state, but every
     * manager's event stream shows it at the same index. Refused as STALE in an entry of another term.
     */
    record LeaderElected(String managerId, Instant at, long leaderTerm) implements Command {}

    /**
     * Several commands in one log entry (group commit), applied in order at the entry's index;
     * the outcome is an {@link Outcome.Batch} with one outcome per command. Batches do not nest.
     */
    record Batch(List<Command> commands, Instant at) implements Command {
        public Batch {
            commands = List.copyOf(commands);
        }
    }

    /**
     * Several new tasks in one entry, all or none: refused with CONFLICT when a name is in use by a
     * live task or given twice, and then nothing is submitted.
     */
    record SubmitTasks(List<NewTask> tasks, Instant at) implements Command {
        public SubmitTasks {
            tasks = List.copyOf(tasks);
        }
    }

    record NewTask(String taskId, TaskSpec spec) {}

    /**
     * {@code count} tasks of one spec, named {@code <name>-1 .. <name>-<count>}, all or none (like
     * {@link SubmitTasks}). The entry stays small however large the count: replica {@code i}'s id is
     * derived from {@code idSeed} and {@code i} ({@link #replicaId}), its spec is {@code spec} renamed.
     */
    record SubmitReplicas(String idSeed, TaskSpec spec, int count, Instant at) implements Command {
        public static String replicaName(String name, int i) {
            return name + "-" + i;
        }

        public static String replicaId(String idSeed, int i) {
            return ReplicaIds.of(idSeed, i);
        }
    }

    /**
     * Many observations of one worker in one entry; each applies as a {@link ReportTaskStatus} would,
     * and the outcome counts the accepted and lists the refused. A stale session refuses them all.
     */
    record ReportTaskStatuses(String workerId, String session, List<StatusUpdate> reports, Instant at)
            implements Command {
        public ReportTaskStatuses {
            reports = List.copyOf(reports);
        }
    }

    /**
     * One task's observed state within a {@link ReportTaskStatuses}, written as an array
     * ({@code ["taskId", "running", "containerId", exitCode, "error"]}, nulls in place): one per
     * task in every report, read by every manager, and read by name it cost several times as much as
     * a {@link Placement}.
     */
    @JsonFormat(shape = JsonFormat.Shape.ARRAY)
    @JsonPropertyOrder({"taskId", "state", "containerId", "exitCode", "error"})
    @JsonDeserialize(using = StatusUpdateReader.class)
    record StatusUpdate(String taskId, TaskState state, String containerId, Integer exitCode, String error) {}
}
