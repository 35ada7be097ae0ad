package dev.cube.manager.scheduler;

import static dev.cube.manager.scheduler.SchedulerHarness.MIB;
import static dev.cube.manager.scheduler.SchedulerHarness.hostPorts;
import static dev.cube.manager.scheduler.SchedulerHarness.labelled;
import static dev.cube.manager.scheduler.SchedulerHarness.ready;
import static dev.cube.manager.scheduler.SchedulerHarness.spec;
import static dev.cube.manager.scheduler.SchedulerHarness.task;
import static dev.cube.manager.scheduler.SchedulerHarness.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.model.Task;
import dev.cube.model.WorkerState;
import dev.cube.store.Allocation;
import dev.cube.store.Command.Placement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The scheduler on an in-memory view: no Ratis, no Docker. */
class SchedulerTest {

    @Test
    void placesOnTheLeastAllocatedWorkerAndCarriesTheTaskVersion() {
        Candidate busy = worker("w1", 4, 4096 * MIB, WorkerState.READY, new Allocation(3000, 2048 * MIB, 3));
        Candidate idle = ready("w2", 4, 4096 * MIB);
        var plan = Scheduler.standard().plan(List.of(task("a", 0.5, 256 * MIB)), List.of(busy, idle));
        assertEquals(List.of(new Placement("id-a", "w2", 7)), plan.placements());
        assertTrue(plan.reasons().isEmpty());
    }

    @Test
    void theDefaultStrategyIsSpread() {
        assertEquals(Strategy.SPREAD, Scheduler.standard().strategy());
    }

    @Test
    void accountsEarlierPlacementsOfTheSamePass() {
        var plan = Scheduler.standard().plan(
                List.of(task("a", 1, 512 * MIB), task("b", 1, 512 * MIB), task("c", 1, 512 * MIB)),
                List.of(ready("w1", 2, 1024 * MIB)));
        assertEquals(2, plan.placements().size());
        assertEquals("0/1 workers fit: 1 insufficient cpu", plan.reasons().get("id-c"));
    }

    @Test
    void accountsHostPortsOfEarlierPlacementsOfTheSamePass() {
        var plan = Scheduler.standard().plan(List.of(
                task(spec("a", 0.1, 64 * MIB, hostPorts(8080), List.of())),
                task(spec("b", 0.1, 64 * MIB, hostPorts(8080), List.of())),
                task(spec("c", 0.1, 64 * MIB, hostPorts(8080), List.of()))),
                List.of(ready("w1", 2, 1024 * MIB), ready("w2", 2, 1024 * MIB)));
        assertEquals(Set.of("w1", "w2"), Set.copyOf(plan.placements().stream().map(Placement::workerId).toList()));
        assertEquals("0/2 workers fit: 2 port 8080 in use", plan.reasons().get("id-c"));
    }

    @Test
    void explainsEveryRejectionMostFrequentFirst() {
        var plan = Scheduler.standard().plan(List.of(task("big", 1, 2048 * MIB)), List.of(
                ready("w1", 4, 1024 * MIB), ready("w2", 4, 1024 * MIB),
                worker("w3", 8, 8192 * MIB, WorkerState.DOWN, Allocation.NONE)));
        assertTrue(plan.placements().isEmpty());
        assertEquals("0/3 workers fit: 2 insufficient memory, 1 down", plan.reasons().get("id-big"));
    }

    @Test
    void aLongReasonIsCut() {
        Map<String, Integer> rejections = new java.util.HashMap<>();
        for (int i = 0; i < 500; i++) rejections.put("constraint zone==zone-" + i + " not met", 1);
        String reason = Scheduler.explain(500, rejections);
        assertEquals(Scheduler.MAX_REASON_CHARS, reason.length());
        assertTrue(reason.startsWith("0/500 workers fit: 1 constraint zone==zone-0 not met, ") && reason.endsWith("…"),
                reason);
    }

    @Test
    void explainsMemoryAndPortsTogether() {
        Allocation holds8080 = new Allocation(0, 0, 1, Set.of("8080/tcp"));
        var plan = Scheduler.standard().plan(List.of(task(spec("web", 0.1, 512 * MIB, hostPorts(8080), List.of()))),
                List.of(ready("w1", 2, 256 * MIB), ready("w2", 2, 256 * MIB), ready("w3", 2, 256 * MIB),
                        worker("w4", 2, 1024 * MIB, WorkerState.READY, holds8080),
                        worker("w5", 2, 1024 * MIB, WorkerState.READY, holds8080)));
        assertEquals("0/5 workers fit: 3 insufficient memory, 2 port 8080 in use", plan.reasons().get("id-web"));
    }

    @Test
    void equalCountsAreListedByReason() {
        var plan = Scheduler.standard().plan(List.of(task("t", 1, 512 * MIB)), List.of(
                ready("w1", 0.5, 1024 * MIB), ready("w2", 2, 128 * MIB)));
        assertEquals("0/2 workers fit: 1 insufficient cpu, 1 insufficient memory", plan.reasons().get("id-t"));
    }

    @Test
    void constraintsChooseTheWorkerAndExplainTheRest() {
        var zoned = task(spec("z", 0.1, 64 * MIB, List.of(), List.of("zone==b", "disk!=hdd")));
        var plan = Scheduler.standard().plan(List.of(zoned), List.of(
                labelled("w1", Map.of("zone", "a")), labelled("w2", Map.of("zone", "b", "disk", "ssd")),
                labelled("w3", Map.of("zone", "b", "disk", "hdd"))));
        assertEquals("w2", plan.placements().getFirst().workerId());

        var nowhere = task(spec("n", 0.1, 64 * MIB, List.of(), List.of("zone==c")));
        plan = Scheduler.standard().plan(List.of(nowhere), List.of(labelled("w1", Map.of("zone", "a"))));
        assertEquals("0/1 workers fit: 1 constraint zone==c not met", plan.reasons().get("id-n"));
    }

    @Test
    void saysSoWhenNoWorkerHasRegistered() {
        var plan = Scheduler.standard().plan(List.of(task("a", 0.1, 64 * MIB)), List.of());
        assertEquals("0/0 workers fit: no worker has registered", plan.reasons().get("id-a"));
    }

    @Test
    void breaksTiesBySmallestWorkerId() {
        var plan = Scheduler.standard().plan(List.of(task("a", 0.1, 64 * MIB)),
                List.of(ready("w9", 2, 1024 * MIB), ready("w3", 2, 1024 * MIB), ready("w5", 2, 1024 * MIB)));
        assertEquals("w3", plan.placements().getFirst().workerId());
    }

    @Test
    void aTaskExactlyFillingAWorkerFits() {
        var plan = Scheduler.standard().plan(List.of(task("a", 2, 1024 * MIB)), List.of(ready("w1", 2, 1024 * MIB)));
        assertEquals(1, plan.placements().size());
    }

    // ---- large fleets: sampled candidates ----------------------------------------------------

    private static List<Candidate> fleet(int n) {
        return IntStream.range(0, n).mapToObj(i -> ready("w%04d".formatted(i), 4, 4096 * MIB)).toList();
    }

    @Test
    void candidateLimitIsTheWholeSmallFleetElseLog2WithAFloor() {
        assertEquals(1, Scheduler.candidateLimit(0));
        assertEquals(64, Scheduler.candidateLimit(64));
        assertEquals(16, Scheduler.candidateLimit(65));
        assertEquals(16, Scheduler.candidateLimit(5_000));
        assertEquals(20, Scheduler.candidateLimit(1_000_000));
    }

    @Test
    void onALargeFleetTheOneWorkerThatFitsIsFound() {
        List<Candidate> workers = new ArrayList<>(fleet(999));
        workers.add(labelled("w-special", Map.of("gpu", "yes")));
        var task = task(spec("g", 0.1, 64 * MIB, List.of(), List.of("gpu==yes")));
        var plan = Scheduler.standard().plan(List.of(task), workers, 42);
        assertEquals("w-special", plan.placements().getFirst().workerId());
    }

    @Test
    void onALargeFleetAnUnfitTaskCountsEveryWorkerAndItsTwinsShareTheReason() {
        List<Task> tasks = IntStream.range(0, 50).mapToObj(i -> task("huge-" + i, 1, 8192 * MIB)).toList();
        var plan = Scheduler.standard().plan(tasks, fleet(1000), 1);
        assertTrue(plan.placements().isEmpty());
        assertEquals(50, plan.reasons().size());
        plan.reasons().values().forEach(r -> assertEquals("0/1000 workers fit: 1000 insufficient memory", r));
    }

    @Test
    void onALargeFleetTheSameSeedGivesTheSamePlanAndTasksSpreadOut() {
        List<Task> tasks = IntStream.range(0, 500).mapToObj(i -> task("t-" + i, 0.5, 256 * MIB)).toList();
        var first = Scheduler.standard().plan(tasks, fleet(1000), 7);
        var again = Scheduler.standard().plan(tasks, fleet(1000), 7);
        var other = Scheduler.standard().plan(tasks, fleet(1000), 8);
        assertEquals(first, again);
        assertNotEquals(first.placements(), other.placements());
        assertEquals(500, first.placements().size());
        // Spread on empty workers: every task lands on a worker of its own.
        assertEquals(500, new HashSet<>(first.placements().stream().map(Placement::workerId).toList()).size());
    }

    @Test
    void onALargeFleetBinPackFillsWorkersBeforeOpeningNewOnes() {
        // 8 tasks of a quarter of a 4-core worker each: two full workers suffice.
        List<Task> tasks = IntStream.range(0, 8).mapToObj(i -> task("t-" + i, 1, 1024 * MIB)).toList();
        var plan = Scheduler.of(Strategy.BINPACK).plan(tasks, fleet(1000), 3);
        assertEquals(2, new HashSet<>(plan.placements().stream().map(Placement::workerId).toList()).size());
    }
}
