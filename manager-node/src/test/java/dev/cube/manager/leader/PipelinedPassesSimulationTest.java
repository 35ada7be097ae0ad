package dev.cube.manager.leader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.manager.scheduler.ClusterView;
import dev.cube.manager.scheduler.Scheduler;
import dev.cube.manager.scheduler.Strategy;
import dev.cube.model.PortMapping;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Allocation;
import dev.cube.store.Command;
import dev.cube.store.Outcome;
import dev.cube.store.TaskStore;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Random fleets and tasks (ports, constraints, tight capacity) scheduled as the leader does, with
 * up to {@link SchedulerLoop#MAX_PASSES_IN_FLIGHT} passes planned before their entries apply, on the
 * real scheduler and store (no Ratis). With nothing else changing the store, apply must refuse no
 * placement: a refusal means a pass counted a task or a worker's capacity twice, or missed one.
 */
class PipelinedPassesSimulationTest {
    private static final long MIB = 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 30);
    }

    private record Held(Command.PlaceTasks entry, CompletableFuture<Outcome> outcome) {}

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void passesPlannedBeforeTheLastOneAppliesAreNeverRefused(long seed) {
        Random random = new Random(seed);
        TaskStore store = new TaskStore();
        long index = 0;
        int workers = 3 + random.nextInt(10);
        for (int w = 0; w < workers; w++) {
            store.apply(++index, new Command.RegisterWorker("w" + w, "n" + w, "h", 1 + random.nextInt(4),
                    (256 + random.nextInt(8) * 256L) * MIB, Map.of("zone", random.nextBoolean() ? "a" : "b"), "s", T0));
        }
        int tasks = 40 + random.nextInt(160);
        for (int i = 0; i < tasks; i++) {
            List<PortMapping> ports = random.nextInt(5) == 0 ? List.of(new PortMapping(8080 + random.nextInt(2), 80, "tcp"))
                    : List.of();
            List<String> constraints = random.nextInt(5) == 0 ? List.of("zone==a") : List.of();
            store.apply(++index, new Command.SubmitTask("t" + i, new TaskSpec("t" + i, "img", List.of(), Map.of(),
                    0.1 * (1 + random.nextInt(10)), (32 + random.nextInt(16) * 32L) * MIB, ports, Map.of(), constraints,
                    null, null), T0));
        }
        Scheduler scheduler = Scheduler.of(Strategy.values()[(int) (seed % Strategy.values().length)]);
        PendingSweep sweep = new PendingSweep(1 + random.nextInt(30));
        PassesInFlight inFlight = new PassesInFlight(SchedulerLoop.MAX_PASSES_IN_FLIGHT);
        Deque<Held> held = new ArrayDeque<>();
        int placed = 0;
        for (int step = 0; step < 200; step++) {
            boolean plan = held.size() < SchedulerLoop.MAX_PASSES_IN_FLIGHT && (held.isEmpty() || random.nextBoolean());
            if (plan) {
                List<Task> window = sweep.next(store, Instant.now(), inFlight.placedTaskIds());
                if (window.isEmpty() && held.isEmpty()) break;
                if (window.isEmpty()) continue;
                var p = scheduler.plan(window, inFlight.withUnapplied(store, ClusterView.candidates(store)), index);
                sweep.passed(window.size(), p.placements().size());
                CompletableFuture<Outcome> outcome = new CompletableFuture<>();
                inFlight.add(p.placements(), outcome);
                held.addLast(new Held(new Command.PlaceTasks(p.placements(), p.reasons(), T0), outcome));
            } else {
                placed += applyOldest(held, store, ++index, seed);
            }
        }
        while (!held.isEmpty()) placed += applyOldest(held, store, ++index, seed);
        assertEquals(placed, store.count(TaskState.SCHEDULED), "seed " + seed);
        assertTrue(placed > 0, "seed " + seed + ": nothing was placed");
        for (var worker : store.workers()) {
            Allocation a = store.allocation(worker.id());
            assertTrue(a.milliCpus() <= Allocation.milliCpus(worker.cpus()), "seed " + seed + ": " + worker.id() + " over its cpus");
            assertTrue(a.memoryBytes() <= worker.memoryBytes(), "seed " + seed + ": " + worker.id() + " over its memory");
        }
    }

    /** Applies the oldest held pass, as its entry commits; returns how many it placed. */
    private static int applyOldest(Deque<Held> held, TaskStore store, long index, long seed) {
        Held oldest = held.removeFirst();
        Outcome outcome = store.apply(index, oldest.entry());
        oldest.outcome().complete(outcome);
        JsonNode value = ((Outcome.Accepted) outcome).value();
        assertEquals(0, value.path("refused").size(), () -> "seed " + seed + ": refused " + value);
        return value.path("placed").asInt();
    }
}
