package dev.cube.worker.sim;

import dev.cube.worker.ManagerClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A simulation of many workers in one process, for scale tests: each {@link SimulatedWorker} talks
 * to the managers exactly as an agent does (register, heartbeat, long-poll, report) but runs no
 * containers; a task placed on it is reported running at once. The workers share a few HTTP clients
 * and run on virtual threads, so thousands fit in one JVM.
 */
public final class SimulatedFleet implements AutoCloseable {

    /**
     * @param prefix      worker ids and names are {@code <prefix>-<n>}, n from 1
     * @param httpClients HTTP clients shared by the workers (each has its own connection pool)
     */
    public record Settings(List<URI> managerUrls, int workers, String prefix, double cpus, long memoryBytes,
                           Map<String, String> labels, Duration heartbeat, Duration pollWait, int httpClients) {
        public Settings {
            managerUrls = List.copyOf(managerUrls);
            labels = labels == null ? Map.of("cube.simulated", "true") : Map.copyOf(labels);
            if (workers < 1) throw new IllegalArgumentException("a fleet needs at least one worker");
            if (httpClients < 1) throw new IllegalArgumentException("a fleet needs at least one HTTP client");
        }
    }

    private final Settings settings;
    private final FleetCounters counters = new FleetCounters();
    private final List<SimulatedWorker> workers = new ArrayList<>();
    private final ExecutorService threads = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("cube-sim-", 0).factory());
    private final ExecutorService httpExecutor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<HttpClient> clients = new ArrayList<>();

    public SimulatedFleet(Settings settings) {
        this.settings = settings;
        List<ManagerClient> managers = new ArrayList<>();
        for (int i = 0; i < settings.httpClients(); i++) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                    .version(HttpClient.Version.HTTP_1_1).executor(httpExecutor).build();
            clients.add(http);
            managers.add(new ManagerClient(settings.managerUrls(), http));
        }
        int digits = String.valueOf(settings.workers()).length();
        for (int n = 1; n <= settings.workers(); n++) {
            String id = settings.prefix() + "-" + String.format("%0" + digits + "d", n);
            workers.add(new SimulatedWorker(id, settings, managers.get(n % managers.size()), counters));
        }
    }

    /** Starts every worker; returns at once (they register in the background). */
    public SimulatedFleet start() {
        for (SimulatedWorker w : workers) {
            threads.execute(w::pollLoop);
            threads.execute(w::heartbeatLoop);
        }
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
        httpExecutor.shutdownNow();
        clients.forEach(HttpClient::shutdownNow);
    }
}
