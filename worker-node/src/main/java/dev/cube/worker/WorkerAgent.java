package dev.cube.worker;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.cube.model.Worker;
import dev.cube.worker.runtime.ContainerRuntime;
import dev.cube.worker.runtime.ContainerRuntime.Capacity;
import dev.cube.worker.runtime.ContainerRuntime.RuntimeFailure;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker agent: registers with the managers, heartbeats, long-polls its assignments and reconciles
 * them with the containers on this machine. Three threads: heartbeat (which also (re)registers), the
 * assignments long-poll, and the reconciler; container operations run on a small executor.
 *
 * <p>The agent does not own the runtime: whoever created it closes it. Closing the agent leaves the
 * containers running; a restarted worker (same data dir, hence same id) adopts them.
 */
public final class WorkerAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class);
    private static final Duration RECONCILE_PERIOD = Duration.ofSeconds(2);
    private static final long RETRY_PAUSE_MS = 1_000;
    /** How long a stopping worker tries to tell the leader that it leaves on purpose. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(1);
    /**
     * Container operations at once. A worker that takes over a lost worker's tasks starts them
     * together; the engine overlaps much of each start's work (create, network, runc).
     */
    private static final int OPERATION_THREADS = 8;

    private final WorkerSettings settings;
    private final String agentUrl;
    private final Counter heartbeats;
    private final Counter heartbeatFailures;
    private final Counter registrations;
    private final ContainerRuntime runtime;
    private final ManagerClient managers;
    private final String workerId;
    /** Proves this worker's id to the managers when it registers (see {@link WorkerIdentity}). */
    private final String secret;
    private final Reconciler reconciler;
    private final ExecutorService operations;
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicReference<Assignments> latest = new AtomicReference<>();
    private final Object sessionLock = new Object();
    /**
     * Held while a heartbeat is sent: a stopping agent waits for the one in flight instead of
     * aborting it (an aborted request closes the heartbeat connection, which the leader would
     * take for the worker's death before the agent's last heartbeat says it leaves).
     */
    private final Object heartbeatSend = new Object();
    private boolean leaving;   // guarded by heartbeatSend
    private final List<Thread> threads = new ArrayList<>();
    private volatile String session;
    private volatile boolean running;
    private Capacity capacity;

    public WorkerAgent(WorkerSettings settings, ContainerRuntime runtime) {
        this(settings, runtime, null, new MetricRegistry());
    }

    /**
     * An agent that registers {@code agentUrl} (where its {@code AgentServer} serves logs; null for
     * none) and counts its heartbeats in {@code metrics}.
     */
    public WorkerAgent(WorkerSettings settings, ContainerRuntime runtime, String agentUrl, MetricRegistry metrics) {
        this.agentUrl = agentUrl;
        this.heartbeats = metrics.counter("cube.worker.heartbeats");
        this.heartbeatFailures = metrics.counter("cube.worker.heartbeats.failed");
        this.registrations = metrics.counter("cube.worker.registrations");
        this.settings = settings;
        this.runtime = runtime;
        this.managers = new ManagerClient(settings.managerUrls(), settings.joinToken(),
                settings.caCert() == null ? null : dev.cube.tls.ClusterCa.sslContext(settings.caCert()));
        WorkerIdentity identity = WorkerIdentity.loadOrCreate(settings.dataDir());
        this.workerId = identity.id();
        this.secret = identity.secret();
        this.operations = Executors.newFixedThreadPool(OPERATION_THREADS,
                Thread.ofPlatform().daemon().name("cube-worker-op-", 0).factory());
        this.reconciler = new Reconciler(workerId, settings.name(), settings.storageDir(), runtime, this::report,
                operations, this::wake);
    }

    public String workerId() {
        return workerId;
    }

    /** The name of an assigned task, or null if it is not assigned here. */
    public String taskName(String taskId) {
        Assignments a = latest.get();
        if (a == null) return null;
        return a.tasks().stream().filter(t -> t.id().equals(taskId)).map(dev.cube.model.Task::name)
                .findFirst().orElse(null);
    }

    /** The session of the current registration, or null while not registered. */
    public String session() {
        return session;
    }

    /** Starts the threads; returns at once (registration is retried in the background until a manager answers). */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        runtime.watch(workerId, this::wake);
        threads.add(thread("cube-worker-heartbeat", this::heartbeatLoop));
        threads.add(thread("cube-worker-assignments", this::pollLoop));
        threads.add(thread("cube-worker-reconciler", this::reconcileLoop));
        log.info("worker {} ({}) started; managers {}", workerId, settings.name(), settings.managerUrls());
    }

    /** Waits until the worker is registered; false on timeout. */
    public boolean awaitRegistered(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (sessionLock) {
            while (session == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(sessionLock, left);
            }
            return true;
        }
    }

    private Thread thread(String name, Runnable body) {
        return Thread.ofPlatform().daemon().name(name + "-" + settings.name()).start(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                log.error("worker {}: {} died", workerId, name, e);
            }
        });
    }

    /** Asks the reconciler for a pass now. */
    void wake() {
        if (wakeUp.availablePermits() == 0) {
            wakeUp.release();
        }
    }

    private void heartbeatLoop() {
        boolean reachable = true;
        while (running) {
            try {
                if (session == null) {
                    register();
                    reachable = true;
                } else if (!countHeartbeat(sendHeartbeat())) {
                    log.info("worker {}: the manager does not know this session; registering again", workerId);
                    setSession(null);
                    continue;
                } else if (!reachable) {
                    log.info("worker {}: managers reachable again", workerId);
                    reachable = true;
                }
                sleepJittered(settings.heartbeatInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeFailure e) {
                heartbeatFailures.inc();
                if (reachable) {
                    log.warn("worker {}: {}", workerId, e.getMessage());
                    reachable = false;
                }
                try {
                    sleepJittered(session == null ? RETRY_PAUSE_MS : settings.heartbeatInterval().toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private boolean sendHeartbeat() throws IOException, InterruptedException {
        synchronized (heartbeatSend) {
            if (leaving) {
                throw new InterruptedException("the agent stops");
            }
            return managers.heartbeat(workerId, session);
        }
    }

    private boolean countHeartbeat(boolean known) {
        (known ? heartbeats : heartbeatFailures).inc();
        return known;
    }

    private void register() throws IOException, InterruptedException, RuntimeFailure {
        if (capacity == null) {
            Capacity engine = settings.cpus() > 0 && settings.memoryBytes() > 0 ? null : runtime.capacity();
            capacity = new Capacity(settings.cpus() > 0 ? settings.cpus() : engine.cpus(),
                    settings.memoryBytes() > 0 ? settings.memoryBytes() : engine.memoryBytes());
        }
        Worker worker;
        try {
            worker = managers.register(new Registration(workerId, settings.name(), hostName(), capacity.cpus(),
                    capacity.memoryBytes(), settings.labels(), agentUrl, secret));
        } catch (ManagerClient.StatusException e) {
            if (e.status() != 403) throw e;
            throw new IOException(e.getMessage() + " (the secret in " + settings.dataDir().resolve(WorkerIdentity.SECRET_FILE)
                    + " is not the one this id first registered with)", e);
        }
        registrations.inc();
        log.info("worker {} ({}) registered: {} cpus, {} MiB", workerId, settings.name(),
                capacity.cpus(), capacity.memoryBytes() >> 20);   // the session is a secret: not logged
        reconciler.forgetRefusals();
        setSession(worker.session());
        wake();
    }

    private void setSession(String value) {
        synchronized (sessionLock) {
            session = value;
            sessionLock.notifyAll();
        }
    }

    private void pollLoop() {
        long after = 0;
        while (running) {
            try {
                synchronized (sessionLock) {
                    while (session == null && running) {
                        sessionLock.wait(1_000);
                    }
                }
                Assignments a = managers.assignments(workerId, after, settings.pollWait());
                after = a.version();
                latest.set(a);
                wake();
            } catch (InterruptedException e) {
                return;
            } catch (ManagerClient.StatusException e) {
                if (e.status() == 404) {
                    log.info("worker {}: the manager does not know this worker; registering again", workerId);
                    setSession(null);
                } else {
                    log.warn("worker {}: {}", workerId, e.getMessage());
                }
                if (!pause(RETRY_PAUSE_MS)) {
                    return;
                }
            } catch (IOException e) {
                log.debug("worker {}: assignments poll failed: {}", workerId, e.getMessage());
                if (!pause(RETRY_PAUSE_MS / 2)) {
                    return;
                }
            }
        }
    }

    private void reconcileLoop() {
        while (running) {
            try {
                wakeUp.tryAcquire(RECONCILE_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
                Assignments a = latest.get();
                if (a != null && running) {
                    reconciler.reconcile(a); // nothing before the first assignments: never remove what we may adopt
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private ManagerClient.ReportResult report(String taskId, dev.cube.model.TaskState state, String containerId,
                                              Integer exitCode, String error) throws IOException, InterruptedException {
        String current = session;
        if (current == null) {
            throw new IOException("not registered");
        }
        try {
            return managers.report(workerId, taskId, new StatusReport(current, state, containerId, exitCode, error));
        } catch (ManagerClient.StatusException e) {
            if (e.status() == 404) {
                setSession(null);
            }
            throw e;
        }
    }

    private static void sleepJittered(long meanMillis) throws InterruptedException {
        Thread.sleep(Math.max(1, Math.round(meanMillis * ThreadLocalRandom.current().nextDouble(0.8, 1.2))));
    }

    private boolean pause(long meanMillis) {
        try {
            sleepJittered(meanMillis);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    /** Stops the agent's threads; containers keep running. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                operations.shutdown();
                return;
            }
            running = false;
        }
        synchronized (heartbeatSend) {
            leaving = true;   // after the heartbeat in flight, if any: none is aborted
        }
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            try {
                t.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String last = session;
        if (last != null && !Thread.currentThread().isInterrupted()) {
            try {
                managers.leave(workerId, last, LEAVE_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        operations.shutdown(); // let a start in progress finish: an interrupted create could leave a stray container
        try {
            if (!operations.awaitTermination(15, TimeUnit.SECONDS)) {
                operations.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        managers.close();   // after the operations: a start that finishes still reports
        log.info("worker {} ({}) stopped", workerId, settings.name());
    }
}
