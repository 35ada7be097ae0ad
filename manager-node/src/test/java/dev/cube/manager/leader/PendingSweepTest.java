package dev.cube.manager.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.manager.scheduler.ClusterView;
import dev.cube.manager.scheduler.Scheduler;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.store.Command;
import dev.cube.store.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The windows of pending tasks the scheduling passes look at, on a real TaskStore (no Ratis). */
class PendingSweepTest {
    private static final long MIB = 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final TaskStore store = new TaskStore();
    private long index;

    private void submit(String name, long memory) {
        store.apply(++index, new Command.SubmitTask("id-" + name, new TaskSpec(name, "img", List.of(), Map.of(), 0.1,
                memory, List.of(), Map.of()), T0));
    }

    /** What the scheduler loop does with a window, without Raft: plan, then apply an entry if anything changed. */
    private List<Task> pass(PendingSweep sweep) {
        List<Task> window = sweep.next(store, Instant.now());
        if (window.isEmpty()) return window;
        var plan = Scheduler.standard().plan(window, ClusterView.candidates(store), index);
        sweep.passed(window.size(), plan.placements().size());
        boolean newReasons = window.stream().anyMatch(t -> plan.reasons().containsKey(t.id())
                && !plan.reasons().get(t.id()).equals(t.reason()));
        if (!plan.placements().isEmpty() || newReasons) {
            store.apply(++index, new Command.PlaceTasks(plan.placements(), plan.reasons(), T0));
        }
        return window;
    }

    private static List<String> names(List<Task> tasks) {
        return tasks.stream().map(Task::name).toList();
    }

    @Test
    void tasksThatFitNowhereDoNotHideTheOnesBehindThem() {
        store.apply(++index, new Command.RegisterWorker("w1", "n1", "h", 4, 1024 * MIB, Map.of(), "s", T0));
        for (int i = 0; i < 7; i++) submit("huge-" + i, 4096 * MIB);
        submit("small", 64 * MIB);
        PendingSweep sweep = new PendingSweep(3);

        assertEquals(List.of("huge-0", "huge-1", "huge-2"), names(pass(sweep)));
        assertEquals(List.of("huge-3", "huge-4", "huge-5"), names(pass(sweep)));
        assertEquals(List.of("huge-6", "small"), names(pass(sweep)));
        assertEquals("w1", store.task("small").workerId());
        assertTrue(store.task("huge-6").reason().startsWith("0/1 workers fit"));
    }

    @Test
    void theSweepStartsOverOnlyWhenTheStoreChanged() {
        store.apply(++index, new Command.RegisterWorker("w1", "n1", "h", 4, 1024 * MIB, Map.of(), "s", T0));
        submit("huge-0", 4096 * MIB);
        submit("huge-1", 4096 * MIB);
        PendingSweep sweep = new PendingSweep(3);
        assertEquals(2, pass(sweep).size());   // writes reasons: the store changed
        assertEquals(2, pass(sweep).size());   // so it looks once more; the same reasons: nothing written
        assertTrue(sweep.next(store, Instant.now()).isEmpty(), "an idle store with unplaceable tasks costs nothing");
        assertTrue(sweep.next(store, Instant.now()).isEmpty());

        submit("small", 64 * MIB);              // a new task at the tail is seen without a restart
        assertEquals(List.of("small"), names(pass(sweep)));
        assertEquals("w1", store.task("small").workerId());

        // A worker joins: the next sweep starts from the head, and the huge tasks fit now.
        store.apply(++index, new Command.RegisterWorker("w2", "n2", "h", 8, 16_384 * MIB, Map.of(), "s", T0));
        assertEquals(List.of("huge-0", "huge-1"), names(pass(sweep)));
        assertEquals("w2", store.task("huge-0").workerId());
        assertFalse(store.pendingTasks(10).stream().anyMatch(t -> t.name().startsWith("huge")));
    }
}
