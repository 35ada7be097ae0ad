package dev.cube.manager.scheduler;

/**
 * The opportunity-cost placement of E-PVM (Amir, Awerbuch, Barak, Borgstrom, Keren, 2000): a
 * worker's cost is the sum over its resources (CPU, memory) of {@code base^utilisation}, with
 * {@code base} = 2 × the number of workers; the task goes where that cost grows least. The
 * exponential makes a resource dearer the fuller it is, so a task avoids the resource that is
 * scarce on a worker while well-balanced workers fill evenly.
 */
public final class EPvm implements Scorer {
    private final double lnBase;

    /** For a fleet of {@code workers} workers. */
    public EPvm(int workers) {
        this.lnBase = Math.log(2.0 * Math.max(1, workers));
    }

    @Override
    public double score(Demand task, Candidate c) {
        double cpuBefore = c.allocated().milliCpus() / (double) Math.max(1, c.totalMilliCpus());
        double memBefore = c.allocated().memoryBytes() / (double) Math.max(1, c.worker().memoryBytes());
        double increase = cost(Scorer.cpuShareAfter(task, c)) - cost(cpuBefore)
                + cost(Scorer.memoryShareAfter(task, c)) - cost(memBefore);
        return -increase;
    }

    private double cost(double utilisation) {
        return Math.exp(lnBase * utilisation);
    }
}
