package dev.cube.manager.scheduler;

/** Spreads load: prefers the worker whose CPU and memory stay most free after placing the task. */
public final class Spread implements Scorer {
    @Override
    public double score(Demand task, Candidate c) {
        return 1 - Scorer.utilisationAfter(task, c);
    }
}
