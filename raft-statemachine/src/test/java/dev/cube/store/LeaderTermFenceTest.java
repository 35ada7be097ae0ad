package dev.cube.store;

import static dev.cube.store.Fixtures.at;
import static dev.cube.store.Fixtures.register;
import static dev.cube.store.Fixtures.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.model.TaskState;
import dev.cube.model.WorkerState;
import dev.cube.store.Command.MarkWorkerDown;
import dev.cube.store.Command.PlaceTasks;
import dev.cube.store.Command.Placement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A leader's scheduling passes and worker downs count only in log entries of the term it led in. */
class LeaderTermFenceTest {
    private final TaskStore store = new TaskStore();
    private long index;
    private long pendingVersion;

    @BeforeEach
    void workerAndPendingTask() {
        apply(2, register("w-1", "s-1"));
        apply(2, submit("t-1", "web"));
        pendingVersion = store.task("t-1").version();
    }

    private Outcome apply(long term, Command command) {
        return store.apply(term, ++index, command);
    }

    private PlaceTasks pass(long leaderTerm) {
        return new PlaceTasks(List.of(new Placement("t-1", "w-1", pendingVersion)), Map.of(), at(10), leaderTerm);
    }

    @Test
    void aPassInAnEntryOfALaterTermIsRefusedWhole() {
        var refused = assertInstanceOf(Outcome.Rejected.class, apply(3, pass(2)));
        assertEquals(Outcome.Reason.STALE, refused.reason());
        assertTrue(refused.message().contains("term 2") && refused.message().contains("term 3"), refused.message());
        assertEquals(TaskState.PENDING, store.task("t-1").state());
        assertEquals(Allocation.NONE, store.allocation("w-1"));
    }

    @Test
    void aPassInAnEntryOfItsOwnTermTakesEffect() {
        assertInstanceOf(Outcome.Accepted.class, apply(2, pass(2)));
        assertEquals(TaskState.SCHEDULED, store.task("t-1").state());
    }

    @Test
    void anUnfencedPassTakesEffectInAnyTerm() {
        assertInstanceOf(Outcome.Accepted.class, apply(5, pass(0)));
        assertEquals(TaskState.SCHEDULED, store.task("t-1").state());
    }

    @Test
    void aWorkerDownFromAnEarlierTermIsRefused() {
        var refused = assertInstanceOf(Outcome.Rejected.class,
                apply(4, new MarkWorkerDown("w-1", "no heartbeat", at(20), 3)));
        assertEquals(Outcome.Reason.STALE, refused.reason());
        assertEquals(WorkerState.READY, store.worker("w-1").state());

        assertInstanceOf(Outcome.Accepted.class, apply(4, new MarkWorkerDown("w-1", "no heartbeat", at(21), 4)));
        assertEquals(WorkerState.DOWN, store.worker("w-1").state());
    }

    @Test
    void inABatchOnlyTheStaleDecisionIsRefused() {
        var batch = assertInstanceOf(Outcome.Batch.class,
                apply(3, new Command.Batch(List.of(pass(2), submit("t-2", "api")), at(30))));
        assertInstanceOf(Outcome.Rejected.class, batch.outcomes().get(0));
        assertInstanceOf(Outcome.Accepted.class, batch.outcomes().get(1));
        assertEquals(TaskState.PENDING, store.task("t-1").state());
        assertEquals(TaskState.PENDING, store.task("t-2").state());
    }
}
