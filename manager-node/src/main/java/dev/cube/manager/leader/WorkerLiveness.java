package dev.cube.manager.leader;

import dev.cube.manager.raft.RaftNode;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Command.MarkWorkerDown;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeat deadlines of workers, kept in the leader's memory (rebuildable, never replicated). A
 * new leader gives every worker twice the timeout before declaring it down: its heartbeats must
 * first find the new leader (workers try the managers in turn), and a false "down" moves tasks
 * that were fine. The deadlines are checked several times a second, so a worker is declared down
 * within a fraction of a second after its timeout.
 */
public final class WorkerLiveness implements LeaderService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLiveness.class);

    private final RaftNode raft;
    private final Duration timeout;
    private final Map<String, Long> lastSeenNanos = new ConcurrentHashMap<>();
    private volatile long leadingSinceNanos;
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
        leadingSinceNanos = System.nanoTime();
        checker = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("cube-liveness").daemon().unstarted(r));
        long period = checkPeriodMillis(timeout);
        checker.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (checker != null) checker.shutdownNow();
        checker = null;
    }

    /** How often deadlines are checked: a twentieth of the timeout, between 50 and 250 ms. */
    static long checkPeriodMillis(Duration timeout) {
        return Math.clamp(timeout.toMillis() / 20, 50, 250);
    }

    private void check() {
        long now = System.nanoTime();
        // A worker not heard from in this term counts as seen one timeout after the term began.
        long unseen = Math.max(now, leadingSinceNanos + timeout.toNanos());
        for (Worker w : raft.stateMachine().store().workers()) {
            if (w.state() != WorkerState.READY) continue;
            long seen = lastSeenNanos.computeIfAbsent(w.id(), id -> unseen);
            if (now - seen > timeout.toNanos()) {
                LOG.warn("worker {} ({}) missed its heartbeats for {} ms: declaring it down", w.id(), w.name(), timeout.toMillis());
                raft.write(new MarkWorkerDown(w.id(), "no heartbeat for " + seconds(timeout), Instant.now()))
                        .whenComplete((o, e) -> {
                            if (e != null) LOG.warn("could not mark worker {} down: {}", w.id(), e.toString());
                        });
                lastSeenNanos.remove(w.id());
            }
        }
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
