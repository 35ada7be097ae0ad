package dev.cube.manager.scheduler;

/**
 * Ranks the workers that fit a task: the highest score wins; among equal scores the smallest
 * worker id wins. A scorer is made for one pass (it may depend on the size of the fleet).
 */
public interface Scorer {
    double score(Demand task, Candidate worker);

    /** The share of a worker's CPU and memory in use once the task is placed, averaged (0 to 1). */
    static double utilisationAfter(Demand task, Candidate c) {
        return (cpuShareAfter(task, c) + memoryShareAfter(task, c)) / 2;
    }

    static double cpuShareAfter(Demand task, Candidate c) {
        return (c.allocated().milliCpus() + task.milliCpus()) / (double) Math.max(1, c.totalMilliCpus());
    }

    static double memoryShareAfter(Demand task, Candidate c) {
        return (c.allocated().memoryBytes() + task.memoryBytes()) / (double) Math.max(1, c.worker().memoryBytes());
    }
}
