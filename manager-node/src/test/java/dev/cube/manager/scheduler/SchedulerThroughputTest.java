package dev.cube.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Command;
import dev.cube.store.Outcome;
import dev.cube.store.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A measurement, not a timing goal: places 100,000 tasks on 5,000 workers through the real
 * Scheduler and TaskStore apply (no Raft), in passes of 5,000 tasks as the leader runs them, and
 * prints placements per second for the plans alone and for view + plan + apply. It asserts only
 * that every task was placed and no placement was refused. It takes a minute on a busy machine, so
 * it runs only when asked:
 * {@code mvn -pl manager-node test -Dtest=SchedulerThroughputTest -Dcube.bench=true}.
 */
@EnabledIfSystemProperty(named = "cube.bench", matches = "true")
class SchedulerThroughputTest {
    private static final int WORKERS = 5_000;
    private static final int TASKS = 100_000;
    private static final int PER_PASS = 5_000;
    private static final long MIB = 1024 * 1024;

    /** A smaller round of every strategy first, so that the figures are not the JIT compiler's. */
    @BeforeAll
    static void warmUp() {
        for (Strategy s : Strategy.values()) run(s, 1_000, 20_000);
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void placementsPerSecond(Strategy strategy) {
        String figures = run(strategy, WORKERS, TASKS);
        System.out.println("scheduler " + strategy.json() + ": " + figures);
    }

    private static String run(Strategy strategy, int workers, int tasks) {
        TaskStore store = new TaskStore();
        long index = 0;
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        for (int w = 0; w < workers; w++) {
            store.apply(++index, new Command.RegisterWorker("w-" + w, "node-" + w, "10.0.0.1", 8, 16_384 * MIB,
                    Map.of("zone", "z" + (w % 3)), "s", at));
        }
        for (int t = 0; t < tasks; t++) {
            TaskSpec spec = new TaskSpec("t-" + t, "img", List.of(), Map.of(), 0.1 + (t % 4) * 0.05,
                    (64 + (t % 8) * 32) * MIB, List.of(), Map.of());
            store.apply(++index, new Command.SubmitTask("id-" + t, spec, at));
        }
        Scheduler scheduler = Scheduler.of(strategy);
        long planNanos = 0;
        long start = System.nanoTime();
        long placed = 0;
        while (true) {
            List<Task> pending = store.pendingTasks(PER_PASS);
            if (pending.isEmpty()) break;
            List<Candidate> view = ClusterView.candidates(store);
            long planStart = System.nanoTime();
            Scheduler.Plan plan = scheduler.plan(pending, view, index);
            planNanos += System.nanoTime() - planStart;
            Outcome outcome = store.apply(++index, new Command.PlaceTasks(plan.placements(), plan.reasons(), at));
            JsonNode value = ((Outcome.Accepted) outcome).value();
            assertEquals(0, value.path("refused").size(), value::toString);
            assertEquals(pending.size(), value.path("placed").asInt(), "every task of the pass fits");
            placed += value.path("placed").asInt();
        }
        long totalNanos = System.nanoTime() - start;
        assertEquals(tasks, placed);
        assertEquals(tasks, store.count(TaskState.SCHEDULED));
        return String.format("%,d tasks on %,d workers: plans %,.0f placements/s (%d ms), "
                        + "view + plan + apply %,.0f placements/s (%d ms)",
                tasks, workers, tasks / (planNanos / 1e9), planNanos / 1_000_000,
                tasks / (totalNanos / 1e9), totalNanos / 1_000_000);
    }
}
