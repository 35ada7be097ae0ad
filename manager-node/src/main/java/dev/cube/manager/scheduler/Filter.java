package dev.cube.manager.scheduler;

import dev.cube.model.TaskSpec;

/**
 * A feasibility check of one task on one worker. Filters explain themselves: the reasons of all
 * rejections are counted into the pending task's reason ("0/3 workers fit: 2 insufficient memory").
 */
public interface Filter {

    /** Null if the task fits this worker, else a short reason ("insufficient memory"). */
    String reject(TaskSpec task, Candidate worker);
}
