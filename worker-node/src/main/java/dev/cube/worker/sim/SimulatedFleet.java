package dev.cube.worker.sim;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A simulation of many workers in one process, for scale tests: each {@link SimulatedWorker} talks
 * to the managers exactly as an agent does (register, heartbeat, long-poll, report) but runs no
 * containers; a task placed on it is reported running at once. The workers run on virtual threads,
 * each with two blocking keep-alive connections ({@link BlockingHttp}), so thousands fit in one JVM.
 */
public final class SimulatedFleet implements AutoCloseable {

    /**
     * @param prefix      worker ids and names are {@code <prefix>-<n>}, n from 1
     * @param startsPerSecond workers started per second (0: all at once); a fleet of thousands that
     *                    starts at once opens thousands of connections and registrations in one go
     * @param joinToken   the managers' join token, sent on every call; null when they ask for none
     * @param fleetSecret each worker's secret is derived from it and the worker's id, so a fleet started
     *                    again with the same one takes its ids back; null: random secrets for this process
     */
    public record Settings(List<URI> managerUrls, int workers, String prefix, double cpus, long memoryBytes,
                           Map<String, String> labels, Duration heartbeat, Duration pollWait, int startsPerSecond,
                           String joinToken, String fleetSecret) {
        public Settings {
            managerUrls = List.copyOf(managerUrls);
            labels = labels == null ? Map.of("cube.simulated", "true") : Map.copyOf(labels);
            if (workers < 1) throw new IllegalArgumentException("a fleet needs at least one worker");
        }

        /** A fleet whose secrets live as long as the process. */
        public Settings(List<URI> managerUrls, int workers, String prefix, double cpus, long memoryBytes,
                        Map<String, String> labels, Duration heartbeat, Duration pollWait, int startsPerSecond,
                        String joinToken) {
            this(managerUrls, workers, prefix, cpus, memoryBytes, labels, heartbeat, pollWait, startsPerSecond,
                    joinToken, null);
        }
    }

    private final Settings settings;
    private final FleetCounters counters = new FleetCounters();
    private final CallWatchdog watchdog = new CallWatchdog();
    private final List<SimulatedWorker> workers = new ArrayList<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("cube-sim-", 0).factory());

    public SimulatedFleet(Settings settings) {
        this.settings = settings;
        int digits = String.valueOf(settings.workers()).length();
        for (int n = 1; n <= settings.workers(); n++) {
            String id = settings.prefix() + "-" + String.format("%0" + digits + "d", n);
            workers.add(new SimulatedWorker(id, n, settings, counters, watchdog));
        }
    }

    /** Starts the workers (at the configured rate); returns at once (they register in the background). */
    public SimulatedFleet start() {
        watchdog.start();
        threads.execute(() -> {
            int perTick = settings.startsPerSecond() <= 0 ? workers.size() : Math.max(1, settings.startsPerSecond() / 10);
            for (int i = 0; i < workers.size(); i++) {
                SimulatedWorker w = workers.get(i);
                threads.execute(w::pollLoop);
                threads.execute(w::heartbeatLoop);
                if ((i + 1) % perTick == 0 && i + 1 < workers.size()) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        return this;
    }

    public FleetCounters counters() {
        return counters;
    }

    public int size() {
        return workers.size();
    }

    public List<String> workerIds() {
        return workers.stream().map(SimulatedWorker::id).toList();
    }

    /** Stops the workers (the managers will declare them down after their heartbeat timeout). */
    @Override
    public void close() {
        workers.forEach(SimulatedWorker::stop);
        threads.shutdownNow();
        watchdog.close();
    }
}
