package dev.cube.manager.scheduler;

/**
 * A feasibility check of one task on one worker. Filters explain themselves: the reasons of all
 * rejections are counted into the pending task's reason ("0/3 workers fit: 2 insufficient memory").
 * A reason is short and names what is missing, so that equal causes count together.
 */
public interface Filter {

    /** Null if the task fits this worker, else a short reason ("insufficient memory", "port 8080 in use"). */
    String reject(Demand task, Candidate worker);
}
