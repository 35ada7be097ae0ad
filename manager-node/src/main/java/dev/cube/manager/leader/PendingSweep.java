package dev.cube.manager.leader;

import dev.cube.model.Task;
import dev.cube.store.TaskStore;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Which pending tasks the next scheduling pass looks at: windows of at most {@code size} tasks that
 * sweep the pending queue oldest first. Tasks a pass leaves pending are stepped over by the next
 * window, so thousands of tasks that fit nowhere at the head of the queue cannot hide the ones
 * behind them. At the end of the queue the sweep starts again from the head only if the store has
 * changed since the sweep began (a worker joined, a task ended, a placement was made) or a
 * restart's wait has ended since; an idle store with unplaceable tasks costs nothing. Restarts still
 * waiting for their time are not in any window.
 */
final class PendingSweep {
    private final int size;
    /** Pending tasks ahead of the next window that this sweep looked at and left pending. */
    private int skip;
    private long sweepStartVersion = -1;
    private Instant sweepStartedAt = Instant.MIN;

    PendingSweep(int size) {
        this.size = size;
    }

    /** The tasks for the next pass at {@code now}, oldest first; empty when nothing can have changed for them. */
    List<Task> next(TaskStore store, Instant now) {
        return next(store, now, Set.of());
    }

    /**
     * Like {@link #next(TaskStore, Instant)}, without the tasks of {@code inFlight}: placed by a pass
     * whose entry is not applied yet, they may still be pending in the store.
     */
    List<Task> next(TaskStore store, Instant now, Set<String> inFlight) {
        long version = store.version();
        List<Task> window = window(store, skip, now, inFlight);
        if (window.isEmpty() && skip > 0 && (version != sweepStartVersion || restartDueSince(store, now))) {
            skip = 0;
            window = window(store, 0, now, inFlight);
        }
        if (skip == 0) {
            sweepStartVersion = version;
            sweepStartedAt = now;
        }
        return window;
    }

    private List<Task> window(TaskStore store, int from, Instant now, Set<String> inFlight) {
        List<Task> tasks = store.pendingTasks(from, size + inFlight.size(), now);
        return inFlight.isEmpty() ? tasks
                : tasks.stream().filter(t -> !inFlight.contains(t.id())).limit(size).toList();
    }

    private boolean restartDueSince(TaskStore store, Instant now) {
        Instant due = store.nextRestartAfter(sweepStartedAt);
        return due != null && !due.isAfter(now);
    }

    /** Whether the last window was full, so more tasks may wait behind it. */
    boolean full(List<Task> window) {
        return window.size() >= size;
    }

    /** After a pass over a window of {@code looked} tasks that placed {@code placed}: step over the rest. */
    void passed(int looked, int placed) {
        skip += looked - placed;
    }
}
