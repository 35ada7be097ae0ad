package dev.cube.store;

import dev.cube.model.ManagerInfo;
import dev.cube.model.Task;
import dev.cube.model.Worker;

/**
 * Told by the {@link TaskStore} of every change a command makes, on the apply thread, in log order.
 * The same log gives the same calls on every manager. Implementations must be quick and must not
 * call back into the store's writers. Restoring a snapshot is not a change: {@link #restored} is
 * called instead.
 */
public interface StoreChanges {

    /** {@code before} is null for a new task. */
    default void taskChanged(long index, Task before, Task after) {}

    /** {@code before} is null for a new worker. */
    default void workerChanged(long index, Worker before, Worker after) {}

    /** The operator removed a worker that was down. */
    default void workerRemoved(long index, Worker worker) {}

    /** {@code after} is null when the manager left the directory. */
    default void managerChanged(long index, String managerId, ManagerInfo before, ManagerInfo after) {}

    /** {@code managerId} leads from {@code term} on (told once per term, by the leader's own entry). */
    default void leaderElected(long index, String managerId, long term, java.time.Instant at) {}

    /** The store was replaced by a snapshot taken at {@code index}: changes up to it are not told. */
    default void restored(long index) {}
}
