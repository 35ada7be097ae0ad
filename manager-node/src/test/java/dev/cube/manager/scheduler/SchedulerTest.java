package dev.cube.manager.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Allocation;
import dev.cube.store.Command.Placement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scheduler on an in-memory view: no Ratis, no Docker. */
class SchedulerTest {
    private static final long MIB = 1024 * 1024;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Task task(String name, double cpus, long memory) {
        return Task.submitted("id-" + name, new TaskSpec(name, "img", List.of(), Map.of(), cpus, memory, List.of(), Map.of()), T0, 7);
    }

    private static Candidate worker(String id, double cpus, long memory, WorkerState state, Allocation allocated) {
        return new Candidate(new Worker(id, "name-" + id, "host", cpus, memory, Map.of(), state, "s", T0, T0), allocated);
    }

    private static Candidate ready(String id, double cpus, long memory) {
        return worker(id, cpus, memory, WorkerState.READY, Allocation.NONE);
    }

    @Test
    void placesOnTheLeastAllocatedWorkerAndCarriesTheTaskVersion() {
        Candidate busy = worker("w1", 4, 4096 * MIB, WorkerState.READY, new Allocation(3000, 2048 * MIB, 3));
        Candidate idle = ready("w2", 4, 4096 * MIB);
        var plan = Scheduler.standard().plan(List.of(task("a", 0.5, 256 * MIB)), List.of(busy, idle));
        assertEquals(List.of(new Placement("id-a", "w2", 7)), plan.placements());
        assertTrue(plan.reasons().isEmpty());
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
    void explainsEveryRejectionMostFrequentFirst() {
        var plan = Scheduler.standard().plan(List.of(task("big", 1, 2048 * MIB)), List.of(
                ready("w1", 4, 1024 * MIB), ready("w2", 4, 1024 * MIB),
                worker("w3", 8, 8192 * MIB, WorkerState.DOWN, Allocation.NONE)));
        assertTrue(plan.placements().isEmpty());
        assertEquals("0/3 workers fit: 2 insufficient memory, 1 down", plan.reasons().get("id-big"));
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
}
