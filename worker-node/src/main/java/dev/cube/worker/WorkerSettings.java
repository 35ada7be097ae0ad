package dev.cube.worker;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How one worker agent runs.
 *
 * @param managerUrls       gateways of the managers, tried in turn (round-robin on failure)
 * @param cpus              advertised CPUs; 0 = what the container engine reports
 * @param memoryBytes       advertised memory; 0 = what the container engine reports
 * @param heartbeatInterval mean heartbeat period (jittered ±20 %)
 * @param pollWait          how long the manager may hold an assignments long-poll
 * @param storageDir        where the workers' shared storage is mounted on this machine; tasks'
 *                          volumes are folders under it. Null: this worker refuses tasks with volumes.
 * @param joinToken         sent as {@code Authorization: Bearer} on every call to a manager; null for none
 * @param caCert            PEM file of the cluster CA, trusted for {@code https://} manager URLs; null for the JVM's
 */
public record WorkerSettings(List<URI> managerUrls, String name, Path dataDir, double cpus, long memoryBytes,
                             Map<String, String> labels, Duration heartbeatInterval, Duration pollWait,
                             Path storageDir, String joinToken, Path caCert) {

    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(25);

    public WorkerSettings {
        if (managerUrls == null || managerUrls.isEmpty()) {
            throw new IllegalArgumentException("at least one manager URL is needed");
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("the worker needs a name");
        }
        managerUrls = List.copyOf(managerUrls);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        heartbeatInterval = heartbeatInterval == null ? DEFAULT_HEARTBEAT : heartbeatInterval;
        pollWait = pollWait == null ? DEFAULT_POLL_WAIT : pollWait;
    }

    /** Settings without shared storage, without a join token and with the JVM's trusted CAs. */
    public WorkerSettings(List<URI> managerUrls, String name, Path dataDir, double cpus, long memoryBytes,
                          Map<String, String> labels, Duration heartbeatInterval, Duration pollWait) {
        this(managerUrls, name, dataDir, cpus, memoryBytes, labels, heartbeatInterval, pollWait, null, null, null);
    }

    /** Settings with shared storage, without a join token and with the JVM's trusted CAs. */
    public WorkerSettings(List<URI> managerUrls, String name, Path dataDir, double cpus, long memoryBytes,
                          Map<String, String> labels, Duration heartbeatInterval, Duration pollWait,
                          Path storageDir) {
        this(managerUrls, name, dataDir, cpus, memoryBytes, labels, heartbeatInterval, pollWait, storageDir, null,
                null);
    }

    /** Settings without shared storage, with a join token and a cluster CA. */
    public WorkerSettings(List<URI> managerUrls, String name, Path dataDir, double cpus, long memoryBytes,
                          Map<String, String> labels, Duration heartbeatInterval, Duration pollWait,
                          String joinToken, Path caCert) {
        this(managerUrls, name, dataDir, cpus, memoryBytes, labels, heartbeatInterval, pollWait, null, joinToken,
                caCert);
    }

    /** Settings with the default capacity (from the engine), no labels and default timings. */
    public static WorkerSettings of(List<URI> managerUrls, String name, Path dataDir) {
        return new WorkerSettings(managerUrls, name, dataDir, 0, 0, Map.of(), DEFAULT_HEARTBEAT, DEFAULT_POLL_WAIT);
    }
}
