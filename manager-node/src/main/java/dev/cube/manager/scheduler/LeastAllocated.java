package dev.cube.manager.scheduler;

import dev.cube.model.TaskSpec;
import dev.cube.store.Allocation;

/** Spreads load: prefers the worker whose CPU and memory stay most free after placing the task. */
public final class LeastAllocated implements Scorer {
    @Override
    public double score(TaskSpec task, Candidate c) {
        double cpuFree = (c.freeMilliCpus() - Allocation.milliCpus(task.cpus()))
                / (double) Math.max(1, Allocation.milliCpus(c.worker().cpus()));
        double memFree = (c.freeMemoryBytes() - task.memoryBytes()) / (double) Math.max(1, c.worker().memoryBytes());
        return (cpuFree + memFree) / 2;
    }
}
