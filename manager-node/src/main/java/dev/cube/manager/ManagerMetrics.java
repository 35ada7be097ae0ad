package dev.cube.manager;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import dev.cube.manager.raft.RaftNode;
import dev.cube.model.TaskState;
import dev.cube.model.WorkerState;
import dev.cube.store.TaskStore;

/** The manager's gauges: tasks and workers by state, Raft role and indexes, the JVM. */
final class ManagerMetrics {
    private ManagerMetrics() {}

    static void register(MetricRegistry registry, RaftNode raft) {
        TaskStore store = raft.stateMachine().store();
        for (TaskState state : TaskState.values()) {
            registry.register("cube.tasks.state." + state.json(),
                    (Gauge<Long>) () -> store.count(state));
        }
        for (WorkerState state : WorkerState.values()) {
            registry.register("cube.workers.state." + state.json(),
                    (Gauge<Long>) () -> store.workers().stream().filter(w -> w.state() == state).count());
        }
        registry.register("cube.raft.leader", (Gauge<Integer>) () -> raft.division().getInfo().isLeader() ? 1 : 0);
        registry.register("cube.raft.term", (Gauge<Long>) () -> raft.division().getInfo().getCurrentTerm());
        registry.register("cube.raft.applied.index", (Gauge<Long>) () -> raft.division().getInfo().getLastAppliedIndex());
        registry.register("cube.raft.commit.index",
                (Gauge<Long>) () -> raft.division().getRaftLog().getLastCommittedIndex());
        registry.registerAll("cube.jvm.memory", new MemoryUsageGaugeSet());
        registry.registerAll("cube.jvm.gc", new GarbageCollectorMetricSet());
        registry.registerAll("cube.jvm.threads", new ThreadStatesGaugeSet());
    }
}
