package dev.cube.manager.scheduler;

import static dev.cube.manager.scheduler.SchedulerHarness.MIB;
import static dev.cube.manager.scheduler.SchedulerHarness.hostPorts;
import static dev.cube.manager.scheduler.SchedulerHarness.spec;
import static dev.cube.manager.scheduler.SchedulerHarness.workerRecord;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cube.model.Availability;
import dev.cube.model.PortMapping;
import dev.cube.model.TaskSpec;
import dev.cube.model.WorkerState;
import dev.cube.store.Allocation;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every filter on a table of (task, worker) cases: null when it fits, else the reason it counts under. */
class FiltersTest {
    private static final Candidate PLAIN = candidate(Map.of(), WorkerState.READY, Availability.ACTIVE, Allocation.NONE);

    /** A worker with 2 cores and 1 GiB. */
    private static Candidate candidate(Map<String, String> labels, WorkerState state, Availability availability,
                                       Allocation allocated) {
        return new Candidate(workerRecord("w1", 2, 1024 * MIB, labels, state, availability), allocated);
    }

    private static TaskSpec small() {
        return spec("t", 0.5, 256 * MIB, List.of(), List.of());
    }

    private static TaskSpec constrained(String... constraints) {
        return spec("t", 0.5, 256 * MIB, List.of(), List.of(constraints));
    }

    private static TaskSpec ports(List<PortMapping> ports) {
        return spec("t", 0.5, 256 * MIB, ports, List.of());
    }

    static Stream<Arguments> cases() {
        Candidate zoneA = candidate(Map.of("zone", "a", "disk", "ssd"), WorkerState.READY, Availability.ACTIVE,
                Allocation.NONE);
        Candidate holds8080 = candidate(Map.of(), WorkerState.READY, Availability.ACTIVE,
                new Allocation(100, 64 * MIB, 1, Set.of("8080/tcp")));
        Candidate busy = candidate(Map.of(), WorkerState.READY, Availability.ACTIVE,
                new Allocation(1600, 800 * MIB, 3));
        return Stream.of(
                Arguments.of("ready", Filters.READY, small(), PLAIN, null),
                Arguments.of("down", Filters.READY, small(),
                        candidate(Map.of(), WorkerState.DOWN, Availability.ACTIVE, Allocation.NONE), "down"),
                Arguments.of("draining", Filters.READY, small(),
                        candidate(Map.of(), WorkerState.READY, Availability.DRAIN, Allocation.NONE), "draining"),
                Arguments.of("down and draining says down", Filters.READY, small(),
                        candidate(Map.of(), WorkerState.DOWN, Availability.DRAIN, Allocation.NONE), "down"),

                Arguments.of("cpu left", Filters.CPU, spec("t", 0.3, MIB, List.of(), List.of()), busy, null),
                Arguments.of("cpu exactly full", Filters.CPU, spec("t", 0.4, MIB, List.of(), List.of()), busy, null),
                Arguments.of("cpu short", Filters.CPU, spec("t", 0.41, MIB, List.of(), List.of()), busy,
                        "insufficient cpu"),
                Arguments.of("memory left", Filters.MEMORY, spec("t", 0.1, 224 * MIB, List.of(), List.of()), busy, null),
                Arguments.of("memory short", Filters.MEMORY, small(), busy, "insufficient memory"),

                Arguments.of("no host port", Filters.HOST_PORTS, ports(List.of(new PortMapping(0, 8080, "tcp"))),
                        holds8080, null),
                Arguments.of("host port free", Filters.HOST_PORTS, ports(hostPorts(9090)), holds8080, null),
                Arguments.of("host port taken", Filters.HOST_PORTS, ports(hostPorts(9090, 8080)), holds8080,
                        "port 8080 in use"),
                Arguments.of("same number over udp", Filters.HOST_PORTS,
                        ports(List.of(new PortMapping(8080, 53, "udp"))), holds8080, null),
                Arguments.of("udp taken", Filters.HOST_PORTS, ports(List.of(new PortMapping(53, 53, "udp"))),
                        candidate(Map.of(), WorkerState.READY, Availability.ACTIVE,
                                new Allocation(0, 0, 1, Set.of("53/udp"))), "port 53/udp in use"),

                Arguments.of("no constraints", Filters.CONSTRAINTS, small(), PLAIN, null),
                Arguments.of("== met", Filters.CONSTRAINTS, constrained("zone==a"), zoneA, null),
                Arguments.of("== other value", Filters.CONSTRAINTS, constrained("zone==b"), zoneA,
                        "constraint zone==b not met"),
                Arguments.of("== label missing", Filters.CONSTRAINTS, constrained("zone==a"), PLAIN,
                        "constraint zone==a not met"),
                Arguments.of("!= met", Filters.CONSTRAINTS, constrained("disk!=hdd"), zoneA, null),
                Arguments.of("!= label missing is met", Filters.CONSTRAINTS, constrained("disk!=hdd"), PLAIN, null),
                Arguments.of("!= same value", Filters.CONSTRAINTS, constrained("disk!=ssd"), zoneA,
                        "constraint disk!=ssd not met"),
                Arguments.of("all must hold, first unmet named", Filters.CONSTRAINTS,
                        constrained("zone==a", "disk!=ssd", "zone==b"), zoneA, "constraint disk!=ssd not met"),
                Arguments.of("unreadable constraint", Filters.CONSTRAINTS, constrained("zone=a"), zoneA,
                        "invalid constraint 'zone=a' is not 'key==value' or 'key!=value'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsWithItsReason(String name, Filter filter, TaskSpec task, Candidate worker, String expected) {
        assertEquals(expected, filter.reject(Demand.of(task), worker));
    }
}
