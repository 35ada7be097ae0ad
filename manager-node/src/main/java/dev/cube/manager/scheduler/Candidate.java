package dev.cube.manager.scheduler;

import dev.cube.model.TaskSpec;
import dev.cube.model.Worker;
import dev.cube.store.Allocation;

/** A worker as one scheduling pass sees it: what it has, and what its tasks already hold. */
public record Candidate(Worker worker, Allocation allocated) {

    public long freeMilliCpus() {
        return Allocation.milliCpus(worker.cpus()) - allocated.milliCpus();
    }

    public long freeMemoryBytes() {
        return worker.memoryBytes() - allocated.memoryBytes();
    }

    public Candidate with(TaskSpec spec) {
        return new Candidate(worker, allocated.plus(spec));
    }
}
