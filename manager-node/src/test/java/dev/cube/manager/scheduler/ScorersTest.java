package dev.cube.manager.scheduler;

import static dev.cube.manager.scheduler.SchedulerHarness.MIB;
import static dev.cube.manager.scheduler.SchedulerHarness.task;
import static dev.cube.manager.scheduler.SchedulerHarness.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cube.model.Task;
import dev.cube.model.WorkerState;
import dev.cube.store.Allocation;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Which worker each strategy picks, on small fleets where every worker is compared. */
class ScorersTest {
    /** Workers of 1 core (1000 milli-cpus) and 1000 MiB, so allocations read as percentages x 10. */
    private static Candidate used(String id, long milliCpus, long memoryMib) {
        return worker(id, 1, 1000 * MIB, WorkerState.READY, new Allocation(milliCpus, memoryMib * MIB, 1));
    }

    static Stream<Arguments> cases() {
        // A CPU-heavy task; "a" has little CPU left and much memory, "b" is evenly half used.
        Task cpuHeavy = task("cpu", 0.1, 10 * MIB);
        List<Candidate> cpuCase = List.of(used("a", 800, 100), used("b", 400, 400));
        // A memory-heavy task; "a" is CPU-busy but memory-empty, "b" is mildly used on both.
        Task memHeavy = task("mem", 0.01, 300 * MIB);
        List<Candidate> memCase = List.of(used("a", 900, 0), used("b", 200, 400));
        // Small task, one worker nearly full, one empty.
        Task small = task("small", 0.1, 100 * MIB);
        List<Candidate> fullAndEmpty = List.of(used("a", 700, 700), used("b", 0, 0));
        return Stream.of(
                Arguments.of(Strategy.SPREAD, cpuHeavy, cpuCase, "b"),
                Arguments.of(Strategy.BINPACK, cpuHeavy, cpuCase, "a"),
                // E-PVM: CPU on "a" is scarce (cost grows exponentially): it goes to "b", unlike bin-pack.
                Arguments.of(Strategy.EPVM, cpuHeavy, cpuCase, "b"),
                Arguments.of(Strategy.SPREAD, memHeavy, memCase, "b"),
                Arguments.of(Strategy.BINPACK, memHeavy, memCase, "a"),
                // E-PVM: the memory it needs is cheap on "a" though its CPU is busy, unlike spread.
                Arguments.of(Strategy.EPVM, memHeavy, memCase, "a"),
                Arguments.of(Strategy.SPREAD, small, fullAndEmpty, "b"),
                Arguments.of(Strategy.BINPACK, small, fullAndEmpty, "a"),
                Arguments.of(Strategy.EPVM, small, fullAndEmpty, "b"));
    }

    @ParameterizedTest(name = "{0} places {1} on {3}")
    @MethodSource("cases")
    void picks(Strategy strategy, Task task, List<Candidate> workers, String expected) {
        var plan = Scheduler.of(strategy).plan(List.of(task), workers);
        assertEquals(expected, plan.placements().getFirst().workerId());
    }

    @ParameterizedTest
    @EnumSource(Strategy.class)
    void equalScoresGoToTheSmallestWorkerId(Strategy strategy) {
        var plan = Scheduler.of(strategy).plan(List.of(task("a", 0.1, 64 * MIB)),
                List.of(used("w9", 100, 100), used("w3", 100, 100), used("w5", 100, 100)));
        assertEquals("w3", plan.placements().getFirst().workerId());
    }

    @Test
    void ePvmScoreIsMinusTheGrowthOfTheExponentialCost() {
        // Two workers: base 4. Half a core on an empty 1-core worker: cpu cost 4^0.5 - 4^0 = 1; memory 0.
        double score = new EPvm(2).score(Demand.of(task("t", 0.5, 0).spec()), used("a", 0, 0));
        assertEquals(-1.0, score, 1e-9);
    }

    @Test
    void binPackFillsOneWorkerBeforeTheNextAndSpreadAlternates() {
        List<Task> four = List.of(task("a", 0.25, 100 * MIB), task("b", 0.25, 100 * MIB),
                task("c", 0.25, 100 * MIB), task("d", 0.25, 100 * MIB));
        List<Candidate> two = List.of(used("w1", 0, 0), used("w2", 0, 0));
        assertEquals(List.of("w1", "w1", "w1", "w1"), Scheduler.of(Strategy.BINPACK).plan(four, two).placements()
                .stream().map(p -> p.workerId()).toList());
        assertEquals(List.of("w1", "w2", "w1", "w2"), Scheduler.of(Strategy.SPREAD).plan(four, two).placements()
                .stream().map(p -> p.workerId()).toList());
    }
}
