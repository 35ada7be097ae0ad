package dev.cube.manager.scheduler;

import dev.cube.model.TaskSpec;
import dev.cube.model.Worker;
import dev.cube.store.Allocation;

/** A worker as one scheduling pass sees it: what it has, and what its tasks already hold. */
public record Candidate(Worker worker, Allocation allocated) {

    public long totalMilliCpus() {
        return Allocation.milliCpus(worker.cpus());
    }

    public long freeMilliCpus() {
        return totalMilliCpus() - allocated.milliCpus();
    }

    public long freeMemoryBytes() {
        return worker.memoryBytes() - allocated.memoryBytes();
    }

    /** This worker with {@code spec} placed on it: the next task of the pass sees it so. */
    public Candidate with(TaskSpec spec) {
        return new Candidate(worker, allocated.plus(spec));
    }
}
