package dev.cube.gateway;

/** The limits a task gets when its spec names none: every container runs with a CPU and a memory limit. */
public record TaskDefaults(double cpus, long memoryBytes) {
    public static final TaskDefaults BUILT_IN = new TaskDefaults(TaskSpecParser.DEFAULT_CPUS, TaskSpecParser.DEFAULT_MEMORY);

    public TaskDefaults {
        if (!(cpus >= TaskSpecParser.MIN_CPUS && cpus <= TaskSpecParser.MAX_CPUS)) {
            throw new IllegalArgumentException("default cpus must be between " + TaskSpecParser.MIN_CPUS + " and "
                    + (int) TaskSpecParser.MAX_CPUS + ", not " + cpus);
        }
        if (memoryBytes < TaskSpecParser.MIN_MEMORY || memoryBytes > TaskSpecParser.MAX_MEMORY) {
            throw new IllegalArgumentException("default memory must be between " + ByteSize.format(TaskSpecParser.MIN_MEMORY)
                    + " and 1 TiB, not " + ByteSize.format(memoryBytes));
        }
    }
}
