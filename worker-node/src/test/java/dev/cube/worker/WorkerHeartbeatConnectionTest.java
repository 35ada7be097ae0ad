package dev.cube.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.testing.LoopbackPorts;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real agent (fake container runtime) against a real manager that watches heartbeat
 * connections (grace 300 ms, deadline 3 s): heartbeats every 200 ms keep one connection, so the
 * worker stays up; an agent that stops on purpose says so and is left to the deadline, although
 * its connections close.
 */
class WorkerHeartbeatConnectionTest {
    private static final Duration GRACE = Duration.ofMillis(300);
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path dir;
    ManagerNode manager;
    WorkerAgent agent;

    @BeforeEach
    void startManager() throws Exception {
        int[] ports = LoopbackPorts.distinct(2);
        int api = ports[0];
        int raft = ports[1];
        ManagerConfig d = ManagerConfig.defaults();
        manager = new ManagerNode(new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", api),
                new ManagerConfig.Endpoint("127.0.0.1", raft),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + raft, "127.0.0.1:" + api)),
                new ManagerConfig.Storage(dir.resolve("manager").toString()), new ManagerConfig.Scheduler(Duration.ofMillis(500)),
                new ManagerConfig.Workers(TIMEOUT, GRACE), d.snapshots())).start();
        assertTrue(manager.raft().awaitLeader(Duration.ofSeconds(20)));
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) agent.close();
        manager.close();
    }

    private WorkerState state() {
        Worker w = manager.raft().stateMachine().store().worker(agent.workerId());
        return w == null ? null : w.state();
    }

    @Test
    void heartbeatsKeepTheirConnectionAndAWorkerThatStopsOnPurposeGetsTheDeadline() throws Exception {
        agent = new WorkerAgent(new WorkerSettings(List.of(URI.create("http://127.0.0.1:" + manager.apiPort())), "w-hb",
                dir.resolve("worker"), 2, 1L << 30, Map.of(), Duration.ofMillis(200), Duration.ofSeconds(5)),
                new FakeContainerRuntime());
        agent.start();
        assertTrue(agent.awaitRegistered(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> state() == WorkerState.READY);
        // Twenty heartbeats and more: no connection of the worker's closes under them.
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> state() == WorkerState.READY);

        long stopped = System.nanoTime();
        agent.close();   // closes its HTTP clients, as the process's exit would
        await().atMost(Duration.ofSeconds(15)).until(() -> state() == WorkerState.DOWN);
        long downAfter = (System.nanoTime() - stopped) / 1_000_000;
        assertTrue(downAfter >= TIMEOUT.toMillis() - 1_000,
                "declared down " + downAfter + " ms after a stop on purpose: the connection's close was taken for a death");
    }
}
