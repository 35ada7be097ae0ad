package dev.cube.manager.leader;

import dev.cube.gateway.ClientConnection;
import dev.cube.manager.raft.RaftNode;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Command.MarkWorkerDown;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.server.DivisionInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeat deadlines of workers, kept in the leader's memory (rebuildable, never replicated). A
 * new leader gives every worker twice the timeout before declaring it down: its heartbeats must
 * first find the new leader (workers try the managers in turn), and a false "down" moves tasks
 * that were fine. The deadlines are checked several times a second, so a worker is declared down
 * within a fraction of a second after its timeout.
 *
 * <p>Faster, for a worker whose process dies: the leader remembers the connection that carried each
 * worker's latest heartbeat. When the worker's side closes it (its kernel does so at once when the
 * process dies) and no heartbeat arrives on another connection within the grace, the worker is
 * declared down as the deadline would. Not counted: a connection this gateway closed itself, one
 * whose last heartbeat is older than the timeout (a keep-alive timeout; the deadline decides), one
 * the worker's heartbeats have left, and any after a heartbeat that said the worker is leaving.
 *
 * <p>Nor does it count when many workers' connections close at once (more than
 * {@value #MASS_LOSS_MIN} and more than one in {@value #MASS_LOSS_SHARE} of the ready workers within
 * a second): workers die one by one, and a burst means that this manager or the network stalled
 * (seen after a leader's GC pause with 5,000 workers). Like Kubernetes, which stops evicting when
 * a large part of a zone turns unhealthy at once, the leader then leaves those workers to their
 * heartbeat deadline.
 */
public final class WorkerLiveness implements LeaderService {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLiveness.class);

    /** A worker's latest heartbeat: when, in which session, on which connection. */
    private record Beat(long nanos, String session, ClientConnection connection) {}

    private final RaftNode raft;
    private final Duration timeout;
    private final Duration grace;
    private final Map<String, Beat> beats = new ConcurrentHashMap<>();
    /** Connections with a close listener, and the workers whose heartbeats came on each. */
    private final Map<ClientConnection, Set<String>> watched = new ConcurrentHashMap<>();
    static final int MASS_LOSS_MIN = 10;
    static final int MASS_LOSS_SHARE = 20;
    private static final long MASS_LOSS_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** When connections closed in the last second (nanoTime), oldest first; guarded by itself. */
    private final ArrayDeque<Long> recentLosses = new ArrayDeque<>();
    /** The latest burst of closed connections, if {@link #massLossSeen}: when it was seen, its latest close. */
    private volatile long massLossFromNanos;
    private volatile long massLossLastNanos;
    private volatile boolean massLossSeen;
    private volatile long leadingSinceNanos;
    /** The Raft term this manager leads in; a manager that no longer leads in it declares nothing. */
    private volatile long term;
    private volatile ScheduledExecutorService checker;

    WorkerLiveness(RaftNode raft, Duration timeout) {
        this(raft, timeout, Duration.ZERO);
    }

    /** {@code connectionLossGrace} zero: a closed connection alone declares nothing. */
    WorkerLiveness(RaftNode raft, Duration timeout, Duration connectionLossGrace) {
        this.raft = raft;
        this.timeout = timeout;
        this.grace = connectionLossGrace;
    }

    /** Records a heartbeat; false if the worker must register again (unknown, other session, or down). */
    public boolean heartbeat(String workerId, String session) {
        return heartbeat(workerId, session, ClientConnection.NONE);
    }

    /** A heartbeat that arrived on {@code connection} (NONE: no connection to watch). */
    public boolean heartbeat(String workerId, String session, ClientConnection connection) {
        Worker worker = raft.stateMachine().store().worker(workerId);
        if (worker == null || !worker.id().equals(workerId) || !worker.session().equals(session)
                || worker.state() != WorkerState.READY) {
            return false;
        }
        beats.put(workerId, new Beat(System.nanoTime(), session, connection));
        if (connection != ClientConnection.NONE && grace.isPositive()) {
            watch(connection).add(workerId);
        }
        return true;
    }

    private Set<String> watch(ClientConnection connection) {
        Set<String> workers = watched.get(connection);
        if (workers == null) {
            Set<String> fresh = ConcurrentHashMap.newKeySet();
            workers = watched.putIfAbsent(connection, fresh);
            if (workers == null) {
                workers = fresh;
                connection.whenClosed(by -> connectionClosed(connection, by));
            }
        }
        return workers;
    }

    @Override
    public synchronized void start() {
        if (checker != null) return;
        beats.clear();   // grace: clocks start when this manager starts leading
        watched.clear();
        synchronized (recentLosses) {
            recentLosses.clear();
            massLossSeen = false;
        }
        leadingSinceNanos = System.nanoTime();
        term = raft.division().getInfo().getCurrentTerm();
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().name("cube-liveness").daemon().unstarted(r));
        long period = checkPeriodMillis(timeout);
        executor.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        checker = executor;
    }

    @Override
    public synchronized void stop() {
        if (checker != null) checker.shutdownNow();
        checker = null;
        watched.clear();
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
            Beat beat = beats.computeIfAbsent(w.id(), id -> new Beat(unseen, w.session(), ClientConnection.NONE));
            if (now - beat.nanos() > timeout.toNanos() && beats.remove(w.id(), beat)) {
                LOG.warn("worker {} ({}) missed its heartbeats for {} ms: declaring it down", w.id(), w.name(), timeout.toMillis());
                markDown(w.id(), "no heartbeat for " + seconds(timeout));
            }
        }
    }

    /** On a gateway thread: the workers whose latest heartbeat came on this connection get the grace. */
    private void connectionClosed(ClientConnection connection, ClientConnection.ClosedBy by) {
        Set<String> workers = watched.remove(connection);
        ScheduledExecutorService executor = checker;
        if (workers == null || executor == null || by == ClientConnection.ClosedBy.SERVER) return;
        long now = System.nanoTime();
        for (String workerId : workers) {
            Beat beat = beats.get(workerId);
            if (beat == null || beat.connection() != connection || now - beat.nanos() > timeout.toNanos()) continue;
            if (!recordLoss(now)) {   // in a burst, its one warning speaks for all
                LOG.info("worker {}: its heartbeat connection closed; declaring it down unless a heartbeat comes within {} ms",
                        workerId, grace.toMillis());
            }
            try {
                executor.schedule(() -> confirmLost(workerId, beat, now), grace.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                return;   // no longer leading
            }
        }
    }

    /** Counts a closed heartbeat connection; notes a burst (see the class comment). True if it is part of one. */
    private boolean recordLoss(long now) {
        synchronized (recentLosses) {
            recentLosses.addLast(now);
            while (now - recentLosses.peekFirst() > MASS_LOSS_WINDOW_NANOS) recentLosses.removeFirst();
            if (massLossSeen && now - massLossLastNanos <= MASS_LOSS_WINDOW_NANOS) {
                massLossLastNanos = now;   // the burst goes on
                return true;
            }
            if (recentLosses.size() <= MASS_LOSS_MIN) return false;
            long ready = raft.stateMachine().store().workers().stream().filter(w -> w.state() == WorkerState.READY).count();
            if (recentLosses.size() * MASS_LOSS_SHARE <= ready) return false;
            massLossFromNanos = now;
            massLossLastNanos = now;
            massLossSeen = true;
            LOG.warn("{} of {} ready workers' heartbeat connections closed within a second: taken for a stall of"
                    + " this manager or the network, not for their deaths; their heartbeat deadline decides"
                    + " (the closes of this burst are not logged one by one)", recentLosses.size(), ready);
            return true;
        }
    }

    /**
     * Whether a connection that closed at {@code closedAt} belongs to a burst: within a second before
     * the burst was seen (the closes that made it one) or until a second after its latest close.
     */
    private boolean inMassLoss(long closedAt) {
        return massLossSeen && massLossFromNanos - closedAt <= MASS_LOSS_WINDOW_NANOS
                && closedAt - massLossLastNanos <= MASS_LOSS_WINDOW_NANOS;
    }

    /** After the grace: still no heartbeat since the connection closed, and the same registration. */
    private void confirmLost(String workerId, Beat beat, long closedAt) {
        if (inMassLoss(closedAt)) return;   // the beat stays: the deadline decides
        Worker w = raft.stateMachine().store().worker(workerId);
        if (w == null || w.state() != WorkerState.READY || !w.session().equals(beat.session())
                || !beats.remove(workerId, beat)) {
            return;
        }
        LOG.warn("worker {} ({}) lost its connection and sent no heartbeat for {} ms since: declaring it down",
                w.id(), w.name(), grace.toMillis());
        markDown(w.id(), "connection lost, no heartbeat for " + seconds(grace) + " since");
    }

    /**
     * Writes go to whichever manager leads; a deposed leader must not declare workers down in the
     * next leader's term (their heartbeats were going elsewhere meanwhile). Stopping on step-down
     * does most of this; the term check closes the gap of a check already running.
     */
    private void markDown(String workerId, String reason) {
        DivisionInfo info = raft.division().getInfo();
        if (!info.isLeader() || info.getCurrentTerm() != term) {
            LOG.info("worker {}: not declared down: this manager no longer leads (term {})", workerId, term);
            return;
        }
        raft.write(new MarkWorkerDown(workerId, reason, Instant.now(), term))
                .whenComplete((o, e) -> {
                    if (e != null) LOG.warn("could not mark worker {} down: {}", workerId, e.toString());
                });
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
