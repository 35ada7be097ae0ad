package dev.cube.manager.scheduler;

import dev.cube.model.Availability;
import dev.cube.model.PortMapping;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Allocation;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builders for an in-memory cluster view: tasks, workers, what they hold. No Ratis, no Docker. */
final class SchedulerHarness {
    static final long MIB = 1024 * 1024;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private SchedulerHarness() {}

    static TaskSpec spec(String name, double cpus, long memory, List<PortMapping> ports, List<String> constraints) {
        return new TaskSpec(name, "img", List.of(), Map.of(), cpus, memory, ports, Map.of(), constraints, null, null);
    }

    static Task task(String name, double cpus, long memory) {
        return task(spec(name, cpus, memory, List.of(), List.of()));
    }

    static Task task(TaskSpec spec) {
        return Task.submitted("id-" + spec.name(), spec, T0, 7);
    }

    static List<PortMapping> hostPorts(int... ports) {
        return Arrays.stream(ports).mapToObj(p -> new PortMapping(p, 80, "tcp")).toList();
    }

    static Worker workerRecord(String id, double cpus, long memory, Map<String, String> labels, WorkerState state,
                               Availability availability) {
        return new Worker(id, "name-" + id, "host", cpus, memory, labels, state, "s", T0, T0, availability, null);
    }

    static Candidate worker(String id, double cpus, long memory, WorkerState state, Allocation allocated) {
        return new Candidate(workerRecord(id, cpus, memory, Map.of(), state, Availability.ACTIVE), allocated);
    }

    static Candidate ready(String id, double cpus, long memory) {
        return worker(id, cpus, memory, WorkerState.READY, Allocation.NONE);
    }

    static Candidate labelled(String id, Map<String, String> labels) {
        return new Candidate(workerRecord(id, 4, 4096 * MIB, labels, WorkerState.READY, Availability.ACTIVE),
                Allocation.NONE);
    }
}
