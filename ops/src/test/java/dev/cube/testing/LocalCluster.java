package dev.cube.testing;

import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.worker.WorkerAgent;
import dev.cube.worker.WorkerSettings;
import dev.cube.worker.runtime.ContainerRuntime;
import dev.cube.worker.runtime.DockerRuntime;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real one-manager Cube in this JVM on loopback ports: a one-peer Ratis quorum with its HTTP
 * gateway, and optionally one real worker agent on the machine's dockerd. Closing it stops both
 * and removes the worker's containers.
 */
public final class LocalCluster implements AutoCloseable {
    private final Path dir;
    private final int apiPort;
    private final int raftPort;
    private ManagerNode manager;
    private WorkerAgent worker;
    private ContainerRuntime runtime;
    private String workerId;

    public LocalCluster(Path dir) throws IOException {
        this.dir = dir;
        int[] ports = LoopbackPorts.distinct(2);
        this.apiPort = ports[0];
        this.raftPort = ports[1];
    }

    public static int freePort() throws IOException {
        return LoopbackPorts.distinct(1)[0];
    }

    public LocalCluster startManager() throws Exception {
        ManagerConfig d = ManagerConfig.defaults();
        manager = new ManagerNode(new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", apiPort),
                new ManagerConfig.Endpoint("127.0.0.1", raftPort),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + raftPort, "127.0.0.1:" + apiPort)),
                new ManagerConfig.Storage(dir.resolve("manager").toString()),
                new ManagerConfig.Scheduler(Duration.ofMillis(200)), d.workers(), d.snapshots())).start();
        return this;
    }

    /** A worker named {@code name} offering {@code cpus} cores and {@code memoryBytes} (0: the machine's). */
    public LocalCluster startWorker(String name, double cpus, long memoryBytes) throws Exception {
        runtime = new DockerRuntime(Duration.ofSeconds(10));
        worker = new WorkerAgent(new WorkerSettings(List.of(URI.create(url())), name, dir.resolve("worker"),
                cpus, memoryBytes, Map.of(), Duration.ofMillis(500), Duration.ofSeconds(5)), runtime);
        worker.start();
        workerId = worker.workerId();
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + apiPort;
    }

    @Override
    public void close() throws Exception {
        if (worker != null) {
            worker.close();
        }
        if (manager != null) {
            manager.close();
        }
        if (runtime != null) {
            for (ContainerRuntime.ContainerStatus c : runtime.list(workerId)) {
                runtime.stopAndRemove(c.containerId());
            }
            runtime.close();
        }
    }
}
