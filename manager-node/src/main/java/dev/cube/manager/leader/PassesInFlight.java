package dev.cube.manager.leader;

import dev.cube.manager.scheduler.Candidate;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.store.Command.Placement;
import dev.cube.store.Outcome;
import dev.cube.store.TaskStore;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The scheduling passes whose place-tasks entries are written but not yet applied, so the next
 * pass can be planned while they commit: it leaves their tasks alone and counts their placements
 * against their workers. Planning on a view that misses an in-flight placement is still safe, only
 * wasteful: apply refuses a placement on a changed task or a full worker.
 */
final class PassesInFlight {
    private record Pass(List<Placement> placements, CompletableFuture<Outcome> outcome) {}

    private final int max;
    private final Deque<Pass> passes = new ArrayDeque<>();

    PassesInFlight(int max) {
        this.max = max;
    }

    void add(List<Placement> placements, CompletableFuture<Outcome> outcome) {
        passes.addLast(new Pass(placements, outcome));
    }

    /**
     * Forgets the passes whose entries were applied (or failed: whoever wrote them logs that); waits
     * for the oldest while {@code max} are in flight.
     */
    void awaitRoom(long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        passes.removeIf(p -> p.outcome().isDone());
        while (passes.size() >= max) {
            Pass oldest = passes.removeFirst();   // forgotten even if it times out: apply still fences it
            try {
                oldest.outcome().get(timeout, unit);
            } catch (ExecutionException failed) {
                // it was not committed; its tasks are pending again for the next window
            }
        }
    }

    /** Ids of the tasks placed by passes in flight: the next window skips them. */
    Set<String> placedTaskIds() {
        Set<String> ids = new HashSet<>();
        passes.forEach(p -> p.placements().forEach(placement -> ids.add(placement.taskId())));
        return ids;
    }

    /**
     * {@code workers} with the in-flight placements that {@code store} has not applied yet (the task
     * still pending at the version the pass saw) counted as held. Call it holding the store's lock,
     * with {@code workers} read under the same hold, so an entry is either in both or in neither.
     */
    List<Candidate> withUnapplied(TaskStore store, List<Candidate> workers) {
        Map<String, List<Task>> unapplied = new HashMap<>();
        for (Pass pass : passes) {
            for (Placement p : pass.placements()) {
                Task task = store.task(p.taskId());
                if (task != null && task.state() == TaskState.PENDING && task.version() == p.taskVersion()) {
                    unapplied.computeIfAbsent(p.workerId(), w -> new ArrayList<>()).add(task);
                }
            }
        }
        if (unapplied.isEmpty()) return workers;
        List<Candidate> counted = new ArrayList<>(workers.size());
        for (Candidate c : workers) {
            for (Task task : unapplied.getOrDefault(c.worker().id(), List.of())) c = c.with(task.spec());
            counted.add(c);
        }
        return counted;
    }
}
