package dev.cube.manager.scheduler;

import dev.cube.model.WorkerState;
import dev.cube.store.Allocation;

/** The feasibility filters of the walking skeleton. */
public final class Filters {
    private Filters() {}

    /** Only ready workers take tasks. */
    public static final Filter READY = (task, c) -> c.worker().state() == WorkerState.READY ? null : "down";

    public static final Filter CPU = (task, c) ->
            Allocation.milliCpus(task.cpus()) <= c.freeMilliCpus() ? null : "insufficient cpu";

    public static final Filter MEMORY = (task, c) ->
            task.memoryBytes() <= c.freeMemoryBytes() ? null : "insufficient memory";
}
