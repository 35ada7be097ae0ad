package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.ManagerInfo;
import dev.cube.model.Task;
import dev.cube.store.Command;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import dev.cube.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A ClusterApi over the real {@link TaskStore}, without Raft: each write is applied at the next
 * index, in the caller's order. Long-polls answer at once. Named for what it is: the store is
 * real, the replication is not.
 */
final class StoreClusterApi implements ClusterApi {
    final TaskStore store = new TaskStore();
    private long index;
    /** Writes the store refused: each would have cost a Raft log entry. */
    long refusedWrites;

    @Override
    public synchronized CompletableFuture<Outcome> write(Command command) {
        Outcome outcome = store.apply(++index, command);
        if (outcome instanceof Outcome.Rejected) refusedWrites++;
        return CompletableFuture.completedFuture(outcome);
    }

    synchronized long writes() {
        return index;
    }

    @Override
    public CompletableFuture<JsonNode> read(Query query, boolean stale) {
        return CompletableFuture.completedFuture(store.query(query));
    }

    @Override
    public CompletableFuture<Assignments> assignments(String workerId, long afterVersion, Duration wait) {
        return CompletableFuture.completedFuture(
                new Assignments(store.assignmentVersion(workerId), store.assignments(workerId)));
    }

    @Override
    public CompletableFuture<Boolean> heartbeat(String workerId, String session) {
        var worker = store.worker(workerId);
        return CompletableFuture.completedFuture(worker != null && worker.id().equals(workerId)
                && worker.session().equals(session));
    }

    @Override
    public CompletableFuture<JsonNode> managers() {
        return CompletableFuture.completedFuture(Json.MAPPER.createObjectNode().put("leader", "m1"));
    }

    @Override
    public CompletableFuture<Outcome> addManager(ManagerInfo manager) {
        return write(new Command.PutManager(manager, Instant.now()));
    }

    @Override
    public CompletableFuture<Outcome> removeManager(String managerId) {
        return write(new Command.RemoveManager(managerId, Instant.now()));
    }

    @Override
    public JsonNode health() {
        return Json.MAPPER.createObjectNode().put("status", "ok");
    }

    /**
     * What the store holds, cheaply: every change of a task raises its version, every change of a
     * worker or of the manager directory changes its record's hash. Equal before and after a request
     * means the request changed nothing.
     */
    synchronized List<Long> fingerprint() {
        List<Task> tasks = store.tasks();
        long versions = 0;
        for (Task t : tasks) {
            versions += t.version();
        }
        return List.of((long) tasks.size(), versions, (long) store.workers().hashCode(),
                (long) store.managers().hashCode());
    }
}
