package dev.cube.manager.leader;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.gateway.ClientConnection;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.manager.raft.RaftNode;
import dev.cube.model.WorkerState;
import dev.cube.store.Command;
import dev.cube.store.CubeStateMachine;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Heartbeat deadlines on a real one-peer Ratis quorum, with a two-second timeout. */
class WorkerLivenessTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    RaftNode raft;
    WorkerLiveness liveness;

    @BeforeEach
    void start() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ManagerConfig d = ManagerConfig.defaults();
        raft = new RaftNode(new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", 0),
                new ManagerConfig.Endpoint("127.0.0.1", port),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + port, "127.0.0.1:8080")),
                new ManagerConfig.Storage(dir.toString()), d.scheduler(), d.workers(), d.snapshots()),
                new CubeStateMachine());
        raft.start();
        assertTrue(raft.awaitLeader(Duration.ofSeconds(10)));
        raft.write(new Command.RegisterWorker("w-1", "node-1", "10.0.0.1", 2, 1L << 30, Map.of(), "s-1",
                Instant.now())).get(30, TimeUnit.SECONDS);
        liveness = new WorkerLiveness(raft, TIMEOUT);
    }

    @AfterEach
    void stop() throws Exception {
        liveness.stop();
        raft.close();
    }

    private WorkerState state() {
        return raft.stateMachine().store().worker("w-1").state();
    }

    @Test
    void aNewLeaderGivesAWorkerItHasNotHeardTwiceTheTimeoutThenDeclaresItDown() {
        liveness.start();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() -> state() == WorkerState.READY);
        await().atMost(Duration.ofSeconds(10)).until(() -> state() == WorkerState.DOWN);
        assertFalse(liveness.heartbeat("w-1", "s-1"), "a worker declared down must register again");
    }

    @Test
    void heartbeatsKeepAWorkerUpAndSilenceTakesItDown() {
        liveness.start();
        await().pollInterval(Duration.ofMillis(200)).during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10))
                .until(() -> liveness.heartbeat("w-1", "s-1") && state() == WorkerState.READY);
        await().atMost(Duration.ofSeconds(10)).until(() -> state() == WorkerState.DOWN);
        assertFalse(liveness.heartbeat("w-1", "other-session"));
    }

    /** A connection the test closes, as the peer or as the server. */
    private static final class FakeConnection implements ClientConnection {
        private final List<Consumer<ClientConnection.ClosedBy>> listeners = new CopyOnWriteArrayList<>();

        @Override
        public void whenClosed(Consumer<ClientConnection.ClosedBy> listener) {
            listeners.add(listener);
        }

        void close(ClientConnection.ClosedBy by) {
            listeners.forEach(l -> l.accept(by));
        }
    }

    /** A deadline far off (30 s), so that only a closed connection can declare the worker down in these tests. */
    private WorkerLiveness watchingConnections(Duration grace) {
        liveness = new WorkerLiveness(raft, Duration.ofSeconds(30), grace);
        return liveness;
    }

    @Test
    void aHeartbeatConnectionClosedByTheWorkerDeclaresItDownAfterTheGrace() {
        WorkerLiveness watching = watchingConnections(Duration.ofMillis(300));
        watching.start();
        FakeConnection connection = new FakeConnection();
        assertTrue(watching.heartbeat("w-1", "s-1", connection));
        connection.close(ClientConnection.ClosedBy.PEER);
        await().atMost(Duration.ofSeconds(10)).until(() -> state() == WorkerState.DOWN);
    }

    @Test
    void manyConnectionsClosingAtOnceAreLeftToTheDeadline() throws Exception {
        int workers = 3 * WorkerLiveness.MASS_LOSS_MIN;
        for (int i = 2; i <= workers; i++) {
            raft.write(new Command.RegisterWorker("w-" + i, "node-" + i, "10.0.0." + i, 2, 1L << 30, Map.of(), "s-" + i,
                    Instant.now())).get(30, TimeUnit.SECONDS);
        }
        WorkerLiveness watching = watchingConnections(Duration.ofMillis(300));
        watching.start();
        List<FakeConnection> connections = new java.util.ArrayList<>();
        for (int i = 1; i <= workers; i++) {
            FakeConnection connection = new FakeConnection();
            assertTrue(watching.heartbeat("w-" + i, "s-" + i, connection));
            connections.add(connection);
        }
        connections.forEach(c -> c.close(ClientConnection.ClosedBy.PEER));   // a stall, not 30 deaths
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() ->
                raft.stateMachine().store().workers().stream().allMatch(w -> w.state() == WorkerState.READY));
    }

    @Test
    void onlyTheLeaderActsOnAClosedConnection() {
        WorkerLiveness watching = watchingConnections(Duration.ofMillis(300));   // not started: not leading
        FakeConnection connection = new FakeConnection();
        assertTrue(watching.heartbeat("w-1", "s-1", connection));
        connection.close(ClientConnection.ClosedBy.PEER);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> state() == WorkerState.READY);
    }

    @Test
    void aConnectionClosedByTheServerIsNoSignOfDeath() {
        WorkerLiveness watching = watchingConnections(Duration.ofMillis(300));
        watching.start();
        FakeConnection connection = new FakeConnection();
        assertTrue(watching.heartbeat("w-1", "s-1", connection));
        connection.close(ClientConnection.ClosedBy.SERVER);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> state() == WorkerState.READY);
    }

    @Test
    void aWorkerRegisteredAnewWithinTheGraceIsNotDeclaredDown() throws Exception {
        WorkerLiveness watching = watchingConnections(Duration.ofSeconds(2));
        watching.start();
        FakeConnection connection = new FakeConnection();
        assertTrue(watching.heartbeat("w-1", "s-1", connection));
        connection.close(ClientConnection.ClosedBy.PEER);
        raft.write(new Command.RegisterWorker("w-1", "node-1", "10.0.0.1", 2, 1L << 30, Map.of(), "s-2",
                Instant.now())).get(30, TimeUnit.SECONDS);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(8)).until(() -> state() == WorkerState.READY);
    }

    @Test
    void deadlinesAreCheckedSeveralTimesPerTimeout() {
        assertEquals(150, WorkerLiveness.checkPeriodMillis(Duration.ofSeconds(3)));
        assertEquals(50, WorkerLiveness.checkPeriodMillis(Duration.ofMillis(500)));
        assertEquals(250, WorkerLiveness.checkPeriodMillis(Duration.ofSeconds(30)));
    }
}
