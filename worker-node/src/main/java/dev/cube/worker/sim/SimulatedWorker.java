package dev.cube.worker.sim;

import dev.cube.model.DesiredState;
import dev.cube.model.TaskState;
import dev.cube.security.Hmac;
import dev.cube.worker.Registration;
import dev.cube.worker.WorkerIdentity;
import dev.cube.worker.sim.FleetJson.Assigned;
import dev.cube.worker.sim.FleetJson.Assignments;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One simulated worker: no container runtime. It registers its capacity, heartbeats, long-polls
 * its assignments for changes only, and reports every newly placed task running (and every task
 * being stopped stopped) in one bulk call per answer. Two virtual threads: the poll loop (which
 * also registers and reports) and the heartbeat loop; each has its own keep-alive connection.
 */
final class SimulatedWorker {
    private static final Logger log = LoggerFactory.getLogger(SimulatedWorker.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final long RETRY_PAUSE_MS = 1_000;
    private static final int MAX_REPORTS_PER_CALL = 5_000;

    /** A manager answered with a status the worker did not expect. */
    private static final class StatusException extends IOException {
        final int status;

        StatusException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final String id;
    /** Derived from the fleet's secret, or random: then a fleet started again needs new ids (else 403). */
    private final String secret;
    private final SimulatedFleet.Settings settings;
    private final BlockingHttp pollConnection;
    private final BlockingHttp beatConnection;
    private final FleetCounters counters;
    private final String heartbeatPath;
    private final String statusPath;
    private final String assignmentsPath;
    private volatile String session;
    private volatile boolean running = true;

    SimulatedWorker(String id, int n, SimulatedFleet.Settings settings, FleetCounters counters, CallWatchdog watchdog) {
        this.id = id;
        this.secret = settings.fleetSecret() == null ? WorkerIdentity.newSecret() : secretFor(settings.fleetSecret(), id);
        this.settings = settings;
        this.pollConnection = new BlockingHttp(settings.managerUrls(), n, settings.joinToken(), watchdog);
        this.beatConnection = new BlockingHttp(settings.managerUrls(), n, settings.joinToken(), watchdog);
        this.counters = counters;
        this.heartbeatPath = "/workers/" + id + "/heartbeat";
        this.statusPath = "/workers/" + id + "/status";
        this.assignmentsPath = "/workers/" + id + "/assignments?wait=" + settings.pollWait().toMillis() + "&after=";
    }

    String id() {
        return id;
    }

    void stop() {
        running = false;
        pollConnection.close();
        beatConnection.close();
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
                Assignments a = assignments(after, !full);
                List<TaskReport> reports = reportsFor(a.tasks());
                String current = session;   // the heartbeat loop may drop it meanwhile: then register first
                for (int from = 0; from < reports.size() && running && current != null; from += MAX_REPORTS_PER_CALL) {
                    counters.reported(reportAll(current,
                            reports.subList(from, Math.min(reports.size(), from + MAX_REPORTS_PER_CALL))));
                }
                // Only once every report went through: a failed one is sent again from the next answer.
                full = false;
                after = a.version();
            } catch (InterruptedException e) {
                return;
            } catch (StatusException e) {
                boolean tell = counters.failed();
                if (e.status == 404 || e.status == 409) {
                    if (tell) log.info("simulated worker {}: {}; registering again", id, e.getMessage());
                    session = null;
                } else if (tell) {
                    log.warn("simulated worker {}: {}", id, e.getMessage());
                }
                if (!pause(RETRY_PAUSE_MS)) return;
            } catch (IOException | RuntimeException e) {
                if (running && counters.failed()) log.info("simulated worker {}: {}", id, e.toString());
                if (!pause(RETRY_PAUSE_MS)) return;
            }
        }
    }

    void heartbeatLoop() {
        long interval = settings.heartbeat().toMillis();
        if (!pause(ThreadLocalRandom.current().nextLong(1, interval + 1))) return;   // spread the fleet's beats
        String bodyFor = null;
        byte[] body = null;
        while (running) {
            String current = session;
            try {
                if (current != null) {
                    if (!current.equals(bodyFor)) {
                        body = FleetJson.heartbeat(current);
                        bodyFor = current;
                    }
                    long start = System.nanoTime();
                    BlockingHttp.Reply r = beatConnection.send("POST", heartbeatPath, body, REQUEST_TIMEOUT);
                    counters.heartbeat(System.nanoTime() - start);
                    if (r.status() == 404) {
                        log.debug("simulated worker {}: the manager does not know this session; registering again", id);
                        synchronized (this) {
                            if (session == current) session = null;
                        }
                    } else if (r.status() != 200 && counters.failed()) {
                        log.warn("simulated worker {}: heartbeat answered {}: {}", id, r.status(), r.text());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (running && counters.failed()) log.info("simulated worker {}: heartbeat failed: {}", id, e.getMessage());
            }
            if (!pause(interval)) return;
        }
    }

    private void register() throws IOException, InterruptedException {
        BlockingHttp.Reply r = pollConnection.send("POST", "/workers/register", FleetJson.registration(
                new Registration(id, id, "simulated", settings.cpus(), settings.memoryBytes(), settings.labels(), null, secret)),
                REQUEST_TIMEOUT);
        expect(r, "register");
        String given = FleetJson.stringField(r.body(), "session");
        if (given == null) throw new IOException("register answered without a session: " + r.text());
        synchronized (this) {
            session = given;
        }
        counters.registered(id);
    }

    private Assignments assignments(long after, boolean changedOnly) throws IOException, InterruptedException {
        BlockingHttp.Reply r = pollConnection.send("GET", assignmentsPath + after + (changedOnly ? "&changed=true" : ""),
                null, settings.pollWait().plus(REQUEST_TIMEOUT));
        expect(r, "assignments");
        return FleetJson.assignments(r.body());
    }

    private int reportAll(String current, List<TaskReport> reports) throws IOException, InterruptedException {
        BlockingHttp.Reply r = pollConnection.send("POST", statusPath, FleetJson.reports(current, reports),
                REQUEST_TIMEOUT);
        expect(r, "status reports");
        return FleetJson.intField(r.body(), "accepted");
    }

    private static void expect(BlockingHttp.Reply r, String what) throws StatusException {
        if (r.status() != 200) throw new StatusException(r.status(), what + " answered " + r.status() + ": " + r.text());
    }

    /** Running for what was just placed here, stopped for what is being stopped. */
    private static List<TaskReport> reportsFor(List<Assigned> tasks) {
        List<TaskReport> reports = new ArrayList<>(tasks.size());
        for (Assigned t : tasks) {
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

    /** HMAC-SHA256 of the worker id keyed with the fleet's secret, in hex. */
    static String secretFor(String fleetSecret, String workerId) {
        return HexFormat.of().formatHex(Hmac.sha256(fleetSecret, workerId));
    }
}
