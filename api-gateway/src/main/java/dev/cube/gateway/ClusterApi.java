package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.ManagerInfo;
import dev.cube.model.Task;
import dev.cube.store.Command;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway needs of the cluster; the manager implements it over Ratis. Every future
 * completes off the caller's thread and may fail with {@link NoLeaderException} (answered 503).
 */
public interface ClusterApi {

    /** Replicates a command through the leader; completes once it is committed and applied. */
    CompletableFuture<Outcome> write(Command command);

    /**
     * Answers a query: linearizable (never older than the last acknowledged write) unless
     * {@code stale}, which reads this manager's copy as it is.
     */
    CompletableFuture<JsonNode> read(Query query, boolean stale);

    /**
     * Long-poll for a worker: the tasks assigned to it that are not finished, as soon as the store
     * is past {@code afterVersion}, or after {@code wait} at the latest.
     */
    CompletableFuture<Assignments> assignments(String workerId, long afterVersion, Duration wait);

    /**
     * The long-poll, answered with all of the worker's unfinished tasks or, when {@code changedOnly},
     * only those with a change after {@code afterVersion} that the worker must act on (placed, to be
     * stopped, placed again, a new spec; not its own reports). Tasks that ended or moved away are then
     * absent: a worker that reconciles asks for everything from time to time. This default takes
     * every change of a task, its version.
     */
    default CompletableFuture<Assignments> assignments(String workerId, long afterVersion, Duration wait,
                                                       boolean changedOnly) {
        CompletableFuture<Assignments> all = assignments(workerId, afterVersion, wait);
        return !changedOnly ? all : all.thenApply(a -> new Assignments(a.version(),
                a.tasks().stream().filter(t -> t.version() > afterVersion).toList()));
    }

    /**
     * Records a heartbeat on the leader; false if the worker or its session is unknown (it must
     * register again). A manager that does not lead fails with NoLeaderException, so the worker
     * moves on until it finds the leader.
     */
    CompletableFuture<Boolean> heartbeat(String workerId, String session);

    /**
     * A heartbeat that arrived on {@code connection}: the leader may take that connection's close
     * by the worker as a sign of its death ({@link ClientConnection#NONE}: no connection to watch,
     * e.g. the worker said it is leaving).
     */
    default CompletableFuture<Boolean> heartbeat(String workerId, String session, ClientConnection connection) {
        return heartbeat(workerId, session);
    }

    /** The quorum: members with role, term and indexes, and the leader. */
    CompletableFuture<JsonNode> managers();

    /**
     * Adds a manager to the quorum (a Ratis membership change). The new manager must already run,
     * started with a config whose {@code managers} list includes it; it catches up from the leader.
     */
    CompletableFuture<Outcome> addManager(ManagerInfo manager);

    /** Removes a manager from the quorum; NOT_FOUND if it is not a member. */
    CompletableFuture<Outcome> removeManager(String managerId);

    /** This manager's view: {@code status} is "ok" when it knows a leader (else GET /health answers 503). */
    JsonNode health();

    /**
     * This manager's journal of cluster events (see {@code GET /events}). Every manager derives the
     * same events from the log it applies. Null when this cluster keeps none (the route answers 501).
     */
    default dev.cube.events.EventJournal events() {
        return null;
    }

    /** A worker's assignments at store version {@code version}. */
    record Assignments(long version, List<Task> tasks) {}
}
