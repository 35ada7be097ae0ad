package dev.cube.manager;

import dev.cube.gateway.ClusterApi.Assignments;
import dev.cube.store.TaskStore;
import java.time.Duration;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Open long-polls of workers for their assignments. A poll is answered as soon as the worker's
 * assignments change past the version it knows, or when its wait runs out. Lives in memory only.
 */
final class AssignmentWaiters implements AutoCloseable {
    private record Waiter(String workerId, long after, boolean changedOnly, CompletableFuture<Assignments> answer) {}

    private final TaskStore store;
    private final Queue<Waiter> waiters = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService executor =
            Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("cube-long-poll").daemon().unstarted(r));
    /** A scan is queued and has not started: changes until it starts need no other. */
    private final AtomicBoolean scanQueued = new AtomicBoolean();

    AssignmentWaiters(TaskStore store) {
        this.store = store;
    }

    /** {@code changedOnly}: answer with the tasks changed after {@code after} only, not all the worker holds. */
    CompletableFuture<Assignments> await(String workerId, long after, Duration wait, boolean changedOnly) {
        if (store.assignmentVersion(workerId) > after || wait.isZero()) {
            return CompletableFuture.completedFuture(current(workerId, after, changedOnly));
        }
        Waiter waiter = new Waiter(workerId, after, changedOnly, new CompletableFuture<>());
        waiters.add(waiter);
        executor.schedule(() -> {
            if (waiters.remove(waiter)) answer(waiter);
        }, wait.toMillis(), TimeUnit.MILLISECONDS);
        changed();   // the store may have moved between the check and the add
        return waiter.answer();
    }

    /**
     * Called after every applied command; the scan runs off the apply thread, and commands applied
     * while a scan waits to start share it.
     */
    void changed() {
        if (waiters.isEmpty() || !scanQueued.compareAndSet(false, true)) return;
        executor.execute(this::scan);
    }

    private void scan() {
        scanQueued.set(false);
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.answer().isDone()) {
                it.remove();
            } else if (store.assignmentVersion(w.workerId()) > w.after()) {
                it.remove();
                answer(w);
            }
        }
    }

    private void answer(Waiter w) {
        w.answer().complete(current(w.workerId(), w.after(), w.changedOnly()));
    }

    private Assignments current(String workerId, long after, boolean changedOnly) {
        synchronized (store) {
            return new Assignments(store.assignmentVersion(workerId),
                    changedOnly ? store.assignmentsChangedAfter(workerId, after) : store.assignments(workerId));
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
