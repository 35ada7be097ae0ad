package dev.cube.store;

import dev.cube.model.TaskSpec;

/** Resources held on one worker by its live tasks; CPUs in thousandths of a core so sums stay exact. */
public record Allocation(long milliCpus, long memoryBytes, int tasks) {
    public static final Allocation NONE = new Allocation(0, 0, 0);

    public static long milliCpus(double cpus) {
        return Math.round(cpus * 1000);
    }

    public Allocation plus(TaskSpec spec) {
        return new Allocation(milliCpus + milliCpus(spec.cpus()), memoryBytes + spec.memoryBytes(), tasks + 1);
    }

    public Allocation minus(TaskSpec spec) {
        return new Allocation(milliCpus - milliCpus(spec.cpus()), memoryBytes - spec.memoryBytes(), tasks - 1);
    }
}
