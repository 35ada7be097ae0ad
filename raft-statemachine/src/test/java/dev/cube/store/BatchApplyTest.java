package dev.cube.store;

import static dev.cube.store.Fixtures.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cube.model.TaskState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Group commit: several commands in one entry apply in order, each with its own outcome. */
class BatchApplyTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void appliesInOrderAndAnswersEachCommand() {
        TaskStore store = new TaskStore();
        Outcome outcome = store.apply(5, new Command.Batch(List.of(
                submit("t-1", "web"), submit("t-2", "web"), new Command.StopTask("web", AT), submit("t-3", "web")), AT));

        List<Outcome> outcomes = assertInstanceOf(Outcome.Batch.class, outcome).outcomes();
        assertEquals(4, outcomes.size());
        assertInstanceOf(Outcome.Accepted.class, outcomes.get(0));
        assertEquals(Outcome.Reason.CONFLICT, assertInstanceOf(Outcome.Rejected.class, outcomes.get(1)).reason());
        assertInstanceOf(Outcome.Accepted.class, outcomes.get(2));
        assertInstanceOf(Outcome.Accepted.class, outcomes.get(3), "the name is free again once t-1 stopped");
        assertEquals(TaskState.STOPPED, store.task("t-1").state());
        assertEquals("t-3", store.task("web").id());
        assertEquals(5, store.task("t-3").version());
        assertEquals(5, store.version());
    }

    @Test
    void batchesDoNotNest() {
        TaskStore store = new TaskStore();
        Outcome outcome = store.apply(1, new Command.Batch(List.of(
                new Command.Batch(List.of(submit("t-1", "web")), AT)), AT));
        Outcome inner = ((Outcome.Batch) outcome).outcomes().getFirst();
        assertEquals(Outcome.Reason.INVALID, assertInstanceOf(Outcome.Rejected.class, inner).reason());
        assertEquals(null, store.task("t-1"));
    }
}
