package dev.cube.e2e;

import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.testing.LoopbackPorts;
import dev.cube.worker.WorkerAgent;
import dev.cube.worker.WorkerSettings;
import dev.cube.worker.agent.AgentServer;
import dev.cube.worker.agent.WorkerMetrics;
import dev.cube.worker.runtime.ContainerRuntime;
import dev.cube.worker.runtime.DockerRuntime;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One real manager (a one-peer Ratis quorum, the Netty gateway) and one real worker agent against
 * the machine's dockerd, all in this JVM on loopback ports. Either side can be restarted.
 */
final class LocalCube implements AutoCloseable {
    static final String IMAGE = "cube-demo:latest";

    private final Path dir;
    private final int apiPort;
    private final int raftPort;
    private final String workerName;
    private final ContainerRuntime runtime = new DockerRuntime(Duration.ofSeconds(10));
    private ManagerNode manager;
    private WorkerAgent worker;
    private AgentServer agentServer;
    private WorkerMetrics workerMetrics;
    private String workerId;

    private final Duration heartbeatTimeout;
    private Path storageDir;

    LocalCube(Path dir, String workerName) throws IOException {
        this(dir, workerName, Duration.ofSeconds(10));
    }

    LocalCube(Path dir, String workerName, Duration heartbeatTimeout) throws IOException {
        this.heartbeatTimeout = heartbeatTimeout;
        this.dir = dir;
        int[] ports = LoopbackPorts.distinct(2);
        this.apiPort = ports[0];
        this.raftPort = ports[1];
        this.workerName = workerName;
    }

    ManagerConfig config() {
        ManagerConfig d = ManagerConfig.defaults();
        return new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", apiPort),
                new ManagerConfig.Endpoint("127.0.0.1", raftPort),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + raftPort, "127.0.0.1:" + apiPort)),
                new ManagerConfig.Storage(dir.resolve("manager").toString()),
                new ManagerConfig.Scheduler(Duration.ofMillis(500)), new ManagerConfig.Workers(heartbeatTimeout),
                d.snapshots());
    }

    /** Workers started from now on bind tasks' volumes under {@code dir}, as under a shared mount. */
    LocalCube withStorage(Path dir) {
        this.storageDir = dir;
        return this;
    }

    LocalCube startManager() throws Exception {
        manager = new ManagerNode(config()).start();
        return this;
    }

    void stopManager() throws Exception {
        manager.close();
        manager = null;
    }

    LocalCube startWorker() throws Exception {
        return startWorker(0, 0);
    }

    LocalCube startWorker(double cpus, long memoryBytes) throws Exception {
        agentServer = new AgentServer("127.0.0.1", 0, null);
        workerMetrics = new WorkerMetrics();
        worker = new WorkerAgent(new WorkerSettings(List.of(URI.create(url())), workerName, dir.resolve("worker"),
                cpus, memoryBytes, Map.of(), Duration.ofMillis(500), Duration.ofSeconds(5), storageDir), runtime,
                agentServer.url(), workerMetrics.registry());
        agentServer.start(runtime, worker.workerId(), workerMetrics, worker::session);
        worker.start();
        workerId = worker.workerId();
        return this;
    }

    /** Stops the agent only: its containers keep running, as after a crash of the agent. */
    void stopWorker() {
        worker.close();
        worker = null;
        agentServer.close();
        workerMetrics.close();
    }

    String url() {
        return "http://127.0.0.1:" + apiPort;
    }

    Http http() {
        return new Http(url());
    }

    AgentServer agentServer() {
        return agentServer;
    }

    WorkerMetrics workerMetrics() {
        return workerMetrics;
    }

    WorkerAgent worker() {
        return worker;
    }

    /** Closes another agent started against this cube (null: nothing) and removes the containers it left. */
    void closeAgent(WorkerAgent agent) throws Exception {
        if (agent == null) return;
        String agentId = agent.workerId();
        agent.close();
        for (var c : runtime.list(agentId)) runtime.stopAndRemove(c.containerId());
    }

    ContainerRuntime runtime() {
        return runtime;
    }

    ManagerNode manager() {
        return manager;
    }

    @Override
    public void close() throws Exception {
        if (worker != null) stopWorker();
        if (manager != null) stopManager();
        if (workerId != null) {
            for (ContainerRuntime.ContainerStatus c : runtime.list(workerId)) {
                runtime.stopAndRemove(c.containerId());
            }
        }
        runtime.close();
    }
}
