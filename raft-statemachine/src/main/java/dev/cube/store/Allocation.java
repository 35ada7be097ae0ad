package dev.cube.store;

import dev.cube.model.PortMapping;
import dev.cube.model.TaskSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Resources held on one worker by its live tasks; CPUs in thousandths of a core so sums stay exact.
 * {@code hostPorts} are the host ports they publish, as {@code "8080/tcp"} (ports with host port 0
 * take any free port and are not held).
 */
public record Allocation(long milliCpus, long memoryBytes, int tasks, Set<String> hostPorts) {
    public static final Allocation NONE = new Allocation(0, 0, 0, Set.of());

    public Allocation {
        hostPorts = hostPorts == null ? Set.of() : Set.copyOf(hostPorts);
    }

    public Allocation(long milliCpus, long memoryBytes, int tasks) {
        this(milliCpus, memoryBytes, tasks, Set.of());
    }

    public static long milliCpus(double cpus) {
        return Math.round(cpus * 1000);
    }

    /** The host ports a task holds on its worker: {@code "8080/tcp"} for each mapping with a host port. */
    public static List<String> hostPorts(TaskSpec spec) {
        if (spec.ports().isEmpty()) return List.of();
        return spec.ports().stream().filter(p -> p.hostPort() > 0).map(Allocation::hostPort).toList();
    }

    public static String hostPort(PortMapping port) {
        return port.hostPort() + "/" + (port.protocol() == null ? "tcp" : port.protocol());
    }

    public Allocation plus(TaskSpec spec) {
        return new Allocation(milliCpus + milliCpus(spec.cpus()), memoryBytes + spec.memoryBytes(), tasks + 1,
                withPorts(spec, true));
    }

    public Allocation minus(TaskSpec spec) {
        return new Allocation(milliCpus - milliCpus(spec.cpus()), memoryBytes - spec.memoryBytes(), tasks - 1,
                withPorts(spec, false));
    }

    private Set<String> withPorts(TaskSpec spec, boolean add) {
        List<String> ports = hostPorts(spec);
        if (ports.isEmpty()) return hostPorts;
        Set<String> next = new HashSet<>(hostPorts);
        if (add) next.addAll(ports); else next.removeAll(ports);
        return next;
    }
}
