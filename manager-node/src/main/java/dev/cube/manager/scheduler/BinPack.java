package dev.cube.manager.scheduler;

/**
 * Packs tasks tightly: prefers the worker whose CPU and memory are most used after placing the task,
 * so whole workers stay free for large tasks (and could be switched off).
 */
public final class BinPack implements Scorer {
    @Override
    public double score(Demand task, Candidate c) {
        return Scorer.utilisationAfter(task, c);
    }
}
