package dev.cube.manager.leader;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import dev.cube.manager.raft.RaftNode;
import dev.cube.manager.scheduler.Candidate;
import dev.cube.manager.scheduler.ClusterView;
import dev.cube.manager.scheduler.Scheduler;
import dev.cube.model.Task;
import dev.cube.store.Command.PlaceTasks;
import dev.cube.store.Command.Placement;
import dev.cube.store.Outcome;
import dev.cube.store.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: runs a scheduling pass whenever the store changes (or every interval) and commits
 * its decisions as one {@link PlaceTasks} entry. The next pass may start while that entry commits:
 * it sees the store plus the placements still in flight ({@link PassesInFlight}).
 */
final class SchedulerLoop implements LeaderService {
    private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);
    /**
     * Bounds one pass, and so one place-tasks entry (at most about 7.7 MB with the longest ids; 3.5
     * MB with UUIDs). Large passes under a backlog give each worker several tasks per answer of its
     * long-poll and per status report. At 1,000,000 tasks on 5,000 workers: passes of 20,000 took the
     * run from 191 s to 167 s against passes of 5,000, and 40,000 from 116 s to 99 s against 20,000
     * (the managers' CPU 192 s to 166 s); 80,000 made it slower (129 s): submissions waited behind
     * the large entries.
     */
    static final int MAX_TASKS_PER_PASS = 40_000;
    /**
     * Newly changed reasons written per pass; the others are written by later passes. With the
     * placements this keeps the entry under {@link RaftNode#MAX_ENTRY_BYTES} whatever the ids and
     * reasons (see SchedulerLoopEntryTest).
     */
    static final int MAX_REASONS_PER_PASS = 2_000;
    /**
     * Passes whose entries may be committing at once. While one commits (replication, then apply
     * behind the entries queued before it: 1–4 s for 40,000 placements under a backlog of
     * submissions) the next is planned and written; with one at a time the scheduler sat idle for
     * most of each pass.
     */
    static final int MAX_PASSES_IN_FLIGHT = 2;
    /**
     * Pause after a pass: every applied entry wakes the loop; without a pause a stream of
     * submissions would keep a core busy re-planning.
     */
    private static final long MIN_PASS_GAP_MS = 25;

    private final RaftNode raft;
    private final Scheduler scheduler;
    private static final int DETAILED_PLACEMENTS_PER_PASS = 50;
    private final Duration interval;
    private final Counter placements;
    private final Timer passes;
    private final Object signal = new Object();
    private boolean woken;
    private volatile Thread thread;

    SchedulerLoop(RaftNode raft, Scheduler scheduler, Duration interval, MetricRegistry metrics) {
        this.raft = raft;
        this.scheduler = scheduler;
        this.interval = interval;
        this.placements = metrics.counter("cube.scheduler.placements");
        this.passes = metrics.timer("cube.scheduler.passes");
        raft.stateMachine().onChange(this::wake);
    }

    @Override
    public synchronized void start() {
        if (thread != null) return;
        long term = raft.division().getInfo().getCurrentTerm();   // called as this manager starts leading
        thread = Thread.ofPlatform().name("cube-scheduler").daemon().unstarted(() -> run(term));
        thread.start();
    }

    @Override
    public synchronized void stop() {
        Thread t = thread;
        thread = null;
        if (t != null) t.interrupt();
    }

    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Passes until stopped; {@code term} fences their entries (see {@link PlaceTasks#leaderTerm}). */
    private void run(long term) {
        Thread self = Thread.currentThread();
        PendingSweep sweep = new PendingSweep(MAX_TASKS_PER_PASS);   // each term sweeps afresh
        PassesInFlight inFlight = new PassesInFlight(MAX_PASSES_IN_FLIGHT);
        while (thread == self) {
            try {
                awaitWake();
                if (pass(sweep, inFlight, term)) {
                    Thread.sleep(MIN_PASS_GAP_MS);   // changes meanwhile coalesce into the next pass
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warn("scheduling pass failed: {}", e.toString());
            }
        }
    }

    private void awaitWake() throws InterruptedException {
        synchronized (signal) {
            if (!woken) signal.wait(untilNextPass());
            woken = false;
        }
    }

    /** The interval, or less when a waiting restart may be placed sooner. */
    private long untilNextPass() {
        Instant now = Instant.now();
        Instant restart = raft.stateMachine().store().nextRestartAfter(now);
        long millis = interval.toMillis();
        return restart == null ? millis : Math.clamp(Duration.between(now, restart).toMillis() + 1, 1, millis);
    }

    /**
     * One pass over the next window of pending tasks; true if it had tasks to look at. Writes one
     * entry with the placements and the reasons that changed, and returns without waiting for it
     * (see {@link #MAX_PASSES_IN_FLIGHT}); a window with nothing to write is followed at once by the
     * next, as no applied entry would wake the loop.
     */
    private boolean pass(PendingSweep sweep, PassesInFlight inFlight, long term) throws Exception {
        inFlight.awaitRoom(10, TimeUnit.SECONDS);
        TaskStore store = raft.stateMachine().store();
        List<Task> pending;
        List<Candidate> workers;
        synchronized (store) {   // one view of the store: an in-flight entry is applied in all of it or in none
            pending = sweep.next(store, Instant.now(), inFlight.placedTaskIds());
            if (pending.isEmpty()) return false;
            workers = inFlight.withUnapplied(store, ClusterView.candidates(store));
        }
        long started = System.nanoTime();
        Scheduler.Plan plan;
        try (var ignored = passes.time()) {
            plan = scheduler.plan(pending, workers, store.version());
        }
        long planMillis = (System.nanoTime() - started) / 1_000_000;
        sweep.passed(pending.size(), plan.placements().size());
        Map<String, String> changedReasons = new HashMap<>();
        for (Task task : pending) {
            String reason = plan.reasons().get(task.id());
            if (reason != null && !reason.equals(task.reason()) && changedReasons.size() < MAX_REASONS_PER_PASS) {
                changedReasons.put(task.id(), reason);
            }
        }
        if (plan.placements().isEmpty() && changedReasons.isEmpty()) {
            if (sweep.full(pending)) wake();
            return true;
        }
        long sent = System.nanoTime();
        CompletableFuture<Outcome> outcome = raft.write(new PlaceTasks(plan.placements(), changedReasons, Instant.now(), term));
        inFlight.add(plan.placements(), outcome);
        outcome.whenComplete((o, failure) -> {
            if (failure != null) {
                LOG.warn("a scheduling pass of {} placements was not committed: {}", plan.placements().size(), failure.toString());
            } else if (o instanceof Outcome.Accepted accepted) {
                placements.inc(accepted.value().path("placed").asInt());
                logPlacements(plan.placements(), planMillis, (System.nanoTime() - sent) / 1_000_000);
                accepted.value().path("refused").forEach(r -> LOG.info("placement refused: {}", r.asText()));
            }
        });
        changedReasons.entrySet().stream().findFirst().ifPresent(e -> LOG.info(
                "{} task(s) newly unplaceable, e.g. task {}: {}", changedReasons.size(), e.getKey(), e.getValue()));
        return true;
    }

    /**
     * One line per placement, but a large pass (thousands of tasks) gets one summary line and its
     * per-task lines at debug level: writing them cost more CPU than placing the tasks.
     */
    private static void logPlacements(List<Placement> placed, long planMillis, long commitMillis) {
        if (placed.size() <= DETAILED_PLACEMENTS_PER_PASS) {
            placed.forEach(p -> LOG.info("placed task {} on worker {}", p.taskId(), p.workerId()));
            return;
        }
        LOG.info("placed {} tasks in one pass (planned in {} ms, committed in {} ms), e.g. task {} on worker {}"
                        + " (per-task lines at debug level)",
                placed.size(), planMillis, commitMillis, placed.getFirst().taskId(), placed.getFirst().workerId());
        placed.forEach(p -> LOG.debug("placed task {} on worker {}", p.taskId(), p.workerId()));
    }
}
