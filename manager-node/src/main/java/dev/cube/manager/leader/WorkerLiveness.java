package dev.cube.manager.leader;

import dev.cube.manager.raft.RaftNode;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Command.MarkWorkerDown;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeat deadlines of workers, kept in the leader's memory (rebuildable, never replicated). A
 * new leader starts every worker's clock afresh: the grace period before anyone is declared down.
 */
public final class WorkerLiveness implements LeaderService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLiveness.class);

    private final RaftNode raft;
    private final Duration timeout;
    private final Map<String, Long> lastSeenNanos = new ConcurrentHashMap<>();
    private ScheduledExecutorService checker;

    WorkerLiveness(RaftNode raft, Duration timeout) {
        this.raft = raft;
        this.timeout = timeout;
    }

    /** Records a heartbeat; false if the worker must register again (unknown, other session, or down). */
    public boolean heartbeat(String workerId, String session) {
        Worker worker = raft.stateMachine().store().worker(workerId);
        if (worker == null || !worker.id().equals(workerId) || !worker.session().equals(session)
                || worker.state() != WorkerState.READY) {
            return false;
        }
        lastSeenNanos.put(workerId, System.nanoTime());
        return true;
    }

    @Override
    public synchronized void start() {
        if (checker != null) return;
        lastSeenNanos.clear();   // grace: clocks start when this manager starts leading
        checker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("cube-liveness").daemon().unstarted(r));
        long period = Math.max(100, timeout.toMillis() / 10);
        checker.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (checker != null) checker.shutdownNow();
        checker = null;
    }

    private void check() {
        long now = System.nanoTime();
        for (Worker w : raft.stateMachine().store().workers()) {
            if (w.state() != WorkerState.READY) continue;
            long seen = lastSeenNanos.computeIfAbsent(w.id(), id -> now);
            if (now - seen > timeout.toNanos()) {
                LOG.warn("worker {} ({}) missed its heartbeats for {} ms: declaring it down", w.id(), w.name(), timeout.toMillis());
                raft.write(new MarkWorkerDown(w.id(), "no heartbeat for " + timeout.toSeconds() + " s", Instant.now()))
                        .whenComplete((o, e) -> {
                            if (e != null) LOG.warn("could not mark worker {} down: {}", w.id(), e.toString());
                        });
                lastSeenNanos.remove(w.id());
            }
        }
    }
}
