package dev.cube.manager;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jvm.BufferPoolMetricSet;
import com.codahale.metrics.jvm.ClassLoadingGaugeSet;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import dev.cube.events.EventJournal;
import dev.cube.manager.raft.RaftNode;
import dev.cube.model.TaskState;
import dev.cube.model.WorkerState;
import dev.cube.store.TaskStore;
import java.lang.management.ManagementFactory;
import org.apache.ratis.server.protocol.TermIndex;

/**
 * The manager's gauges: tasks and workers by state, Raft role, term and indexes, the event journal,
 * the JVM. Counters and timers that events drive live with what drives them
 * ({@link TaskLifecycleMetrics}, {@link CountingLeadership}, the gateway's request metrics).
 */
final class ManagerMetrics {
    private ManagerMetrics() {}

    static void register(MetricRegistry registry, RaftNode raft, EventJournal events) {
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
        // 0 follower, 1 candidate, 2 leader, -1 anything else (listener, paused)
        registry.register("cube.raft.role", (Gauge<Integer>) () -> switch (raft.division().getInfo().getCurrentRole()) {
            case FOLLOWER -> 0;
            case CANDIDATE -> 1;
            case LEADER -> 2;
            default -> -1;
        });
        registry.register("cube.raft.term", (Gauge<Long>) () -> raft.division().getInfo().getCurrentTerm());
        registry.register("cube.raft.applied.index", (Gauge<Long>) () -> raft.division().getInfo().getLastAppliedIndex());
        registry.register("cube.raft.commit.index",
                (Gauge<Long>) () -> raft.division().getRaftLog().getLastCommittedIndex());
        registry.register("cube.raft.log.last.index", (Gauge<Long>) () -> {
            TermIndex last = raft.division().getRaftLog().getLastEntryTermIndex();
            return last == null ? 0L : last.getIndex();
        });
        registry.register("cube.store.version", (Gauge<Long>) store::version);
        registry.register("cube.events.buffered", (Gauge<Integer>) events::size);
        registry.register("cube.events.last.index", (Gauge<Long>) events::lastIndex);
        registry.register("cube.events.subscribers", (Gauge<Integer>) events::subscriberCount);
        registry.registerAll("cube.jvm.memory", new MemoryUsageGaugeSet());
        registry.registerAll("cube.jvm.gc", new GarbageCollectorMetricSet());
        registry.registerAll("cube.jvm.threads", new ThreadStatesGaugeSet());
        registry.registerAll("cube.jvm.classes", new ClassLoadingGaugeSet());
        registry.registerAll("cube.jvm.buffers", new BufferPoolMetricSet(ManagementFactory.getPlatformMBeanServer()));
        registry.register("cube.jvm.uptime.seconds",
                (Gauge<Long>) () -> ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
    }
}
