package dev.cube.worker;

import dev.cube.model.Task;
import java.util.List;

/**
 * Answer of the assignments long-poll: the unfinished tasks placed on this worker, as of store
 * {@code version}.
 */
public record Assignments(long version, List<Task> tasks) {
    public Assignments {
        tasks = tasks == null ? List.of() : List.copyOf(tasks);
    }
}
