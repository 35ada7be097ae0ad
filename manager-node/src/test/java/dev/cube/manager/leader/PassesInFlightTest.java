package dev.cube.manager.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.manager.scheduler.Candidate;
import dev.cube.manager.scheduler.ClusterView;
import dev.cube.manager.scheduler.Scheduler;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Command;
import dev.cube.store.Outcome;
import dev.cube.store.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Planning a pass while the previous one's entry commits, on a real TaskStore (no Ratis). */
class PassesInFlightTest {
    private static final long MIB = 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final TaskStore store = new TaskStore();
    private final PassesInFlight inFlight = new PassesInFlight(2);
    private final PendingSweep sweep = new PendingSweep(2);
    private long index;

    private void submit(String name) {
        store.apply(++index, new Command.SubmitTask("id-" + name, new TaskSpec(name, "img", List.of(), Map.of(), 1,
                256 * MIB, List.of(), Map.of()), T0));
    }

    /** Plans the next window as the scheduler loop does and leaves its entry in flight (not applied). */
    private Command.PlaceTasks planInFlight(CompletableFuture<Outcome> outcome) {
        List<Task> window = sweep.next(store, Instant.now(), inFlight.placedTaskIds());
        var plan = Scheduler.standard().plan(window, inFlight.withUnapplied(store, ClusterView.candidates(store)), index);
        sweep.passed(window.size(), plan.placements().size());
        inFlight.add(plan.placements(), outcome);
        return new Command.PlaceTasks(plan.placements(), plan.reasons(), T0);
    }

    @Test
    void theNextPassSkipsTheTasksAndTheCapacityOfAPassStillCommitting() {
        store.apply(++index, new Command.RegisterWorker("w1", "n1", "h", 3, 1024 * MIB, Map.of(), "s", T0));
        for (int i = 0; i < 5; i++) submit("t" + i);

        Command.PlaceTasks first = planInFlight(new CompletableFuture<>());
        assertEquals(List.of("id-t0", "id-t1"), first.placements().stream().map(Command.Placement::taskId).toList());
        Command.PlaceTasks second = planInFlight(new CompletableFuture<>());

        // The worker has 3 CPUs and the first pass holds 2 of them, not yet applied: one more fits.
        assertEquals(List.of("id-t2"), second.placements().stream().map(Command.Placement::taskId).toList());
        assertTrue(second.reasons().get("id-t3").contains("insufficient cpu"), second.reasons().toString());

        store.apply(++index, first);
        store.apply(++index, second);
        assertEquals(3, store.count(TaskState.SCHEDULED), "no placement was refused, none was made twice");
        Candidate w1 = inFlight.withUnapplied(store, ClusterView.candidates(store)).getFirst();
        assertEquals(0, w1.freeMilliCpus(), "applied placements count once, from the store");
    }

    @Test
    void aFullPipelineWaitsForItsOldestPassAndForgetsItEvenIfItNeverCommits() throws Exception {
        CompletableFuture<Outcome> oldest = new CompletableFuture<>();
        inFlight.add(List.of(new Command.Placement("a", "w1", 1)), oldest);
        inFlight.add(List.of(new Command.Placement("b", "w1", 1)), new CompletableFuture<>());

        assertThrows(TimeoutException.class, () -> inFlight.awaitRoom(10, TimeUnit.MILLISECONDS));
        assertEquals(Set.of("b"), inFlight.placedTaskIds());
        inFlight.awaitRoom(10, TimeUnit.MILLISECONDS);   // room for one more now
        assertEquals(Set.of("b"), inFlight.placedTaskIds());
    }
}
