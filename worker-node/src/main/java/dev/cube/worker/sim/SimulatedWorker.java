package dev.cube.worker.sim;

import dev.cube.model.DesiredState;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import dev.cube.worker.Assignments;
import dev.cube.worker.ManagerClient;
import dev.cube.worker.ManagerClient.TaskReport;
import dev.cube.worker.Registration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated worker: no container runtime. It registers its capacity, heartbeats, long-polls
 * its assignments for changes only, and reports every newly placed task running (and every task
 * being stopped stopped) in one bulk call per answer. Two virtual threads: the poll loop (which
 * also registers) and the heartbeat loop.
 */
final class SimulatedWorker {
    private static final Logger log = LoggerFactory.getLogger(SimulatedWorker.class);
    private static final long RETRY_PAUSE_MS = 1_000;
    private static final int MAX_REPORTS_PER_CALL = 5_000;

    private final String id;
    private final SimulatedFleet.Settings settings;
    private final ManagerClient managers;
    private final FleetCounters counters;
    private final Object lock = new Object();
    private volatile String session;
    private volatile boolean running = true;

    SimulatedWorker(String id, SimulatedFleet.Settings settings, ManagerClient managers, FleetCounters counters) {
        this.id = id;
        this.settings = settings;
        this.managers = managers;
        this.counters = counters;
    }

    String id() {
        return id;
    }

    void stop() {
        running = false;
    }

    /** Registers, then answers assignments until stopped. */
    void pollLoop() {
        long after = 0;
        boolean full = true;
        while (running) {
            try {
                if (session == null) {
                    register();
                    after = 0;
                    full = true;
                }
                Assignments a = managers.assignments(id, after, settings.pollWait(), !full);
                full = false;
                after = a.version();
                List<TaskReport> reports = reportsFor(a.tasks());
                for (int from = 0; from < reports.size() && running; from += MAX_REPORTS_PER_CALL) {
                    List<TaskReport> chunk = reports.subList(from, Math.min(reports.size(), from + MAX_REPORTS_PER_CALL));
                    counters.reported(managers.reportAll(id, session, chunk));
                }
            } catch (InterruptedException e) {
                return;
            } catch (ManagerClient.StatusException e) {
                counters.failed();
                if (e.status() == 404 || e.status() == 409) {
                    log.info("simulated worker {}: {}; registering again", id, e.getMessage());
                    session = null;
                } else {
                    log.warn("simulated worker {}: {}", id, e.getMessage());
                }
                if (!pause(RETRY_PAUSE_MS)) return;
            } catch (IOException e) {
                counters.failed();
                log.debug("simulated worker {}: {}", id, e.getMessage());
                if (!pause(RETRY_PAUSE_MS)) return;
            }
        }
    }

    void heartbeatLoop() {
        long interval = settings.heartbeat().toMillis();
        if (!pause(ThreadLocalRandom.current().nextLong(1, interval + 1))) return;   // spread the fleet's beats
        while (running) {
            String current = session;
            try {
                if (current != null && !managers.heartbeat(id, current)) {
                    log.info("simulated worker {}: the manager does not know this session; registering again", id);
                    synchronized (lock) {
                        if (session == current) session = null;
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                counters.failed();
                log.debug("simulated worker {}: heartbeat failed: {}", id, e.getMessage());
            }
            if (!pause(interval)) return;
        }
    }

    private void register() throws IOException, InterruptedException {
        Worker worker = managers.register(new Registration(id, id, "simulated", settings.cpus(),
                settings.memoryBytes(), settings.labels()));
        synchronized (lock) {
            session = worker.session();
        }
        counters.registered(id);
    }

    /** Running for what was just placed here, stopped for what is being stopped. */
    private static List<TaskReport> reportsFor(List<Task> tasks) {
        List<TaskReport> reports = new ArrayList<>();
        for (Task t : tasks) {
            if (t.state().isTerminal()) continue;
            if (t.desiredState() == DesiredState.STOPPED) {
                reports.add(new TaskReport(t.id(), TaskState.STOPPED, null, 0, null));
            } else if (t.state() == TaskState.SCHEDULED) {
                reports.add(new TaskReport(t.id(), TaskState.RUNNING, "simulated-" + t.id(), null, null));
            }
        }
        return reports;
    }

    private boolean pause(long meanMillis) {
        try {
            Thread.sleep(Math.max(1, Math.round(meanMillis * ThreadLocalRandom.current().nextDouble(0.8, 1.2))));
            return running;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
