package dev.cube.manager.scheduler;

import dev.cube.store.TaskStore;
import java.util.List;

/** The scheduler's read of the store: every registered worker with what its live tasks hold. */
public final class ClusterView {
    private ClusterView() {}

    public static List<Candidate> candidates(TaskStore store) {
        return store.workers().stream().map(w -> new Candidate(w, store.allocation(w.id()))).toList();
    }
}
