package dev.cube.manager.scheduler;

import dev.cube.model.TaskSpec;

/** Ranks the workers that fit a task: the highest score wins; ties go to the smallest worker id. */
public interface Scorer {
    double score(TaskSpec task, Candidate worker);
}
