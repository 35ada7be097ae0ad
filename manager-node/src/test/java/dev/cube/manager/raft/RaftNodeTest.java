package dev.cube.manager.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.model.TaskSpec;
import dev.cube.store.Command;
import dev.cube.store.CubeStateMachine;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real one-peer Ratis quorum on a loopback port. */
class RaftNodeTest {
    @TempDir
    Path dir;

    private ManagerConfig config() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ManagerConfig d = ManagerConfig.defaults();
        return new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", 0),
                new ManagerConfig.Endpoint("127.0.0.1", port),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + port, "127.0.0.1:8080")),
                new ManagerConfig.Storage(dir.toString()), d.scheduler(), d.workers(), d.snapshots());
    }

    private static Command submit(String name) {
        return new Command.SubmitTask("id-" + name,
                new TaskSpec(name, "img", List.of(), Map.of(), 0.1, 16 << 20, List.of(), Map.of()), Instant.now());
    }

    /** Each read sees the write before it; interleaving them once stalled the client's ordered stream. */
    @Test
    void readsSeeEveryAcknowledgedWriteWithoutStalling() throws Exception {
        try (RaftNode node = new RaftNode(config(), new CubeStateMachine())) {
            node.start();
            assertTrue(node.awaitLeader(Duration.ofSeconds(10)), "a lone manager elects itself");
            for (int i = 0; i < 100; i++) {
                Outcome outcome = node.write(submit("t" + i)).get(2, TimeUnit.SECONDS);
                assertInstanceOf(Outcome.Accepted.class, outcome);
                JsonNode read = node.read(new Query.GetTask("t" + i)).get(2, TimeUnit.SECONDS);
                assertEquals("id-t" + i, read.path("id").asText());
            }
        }
    }

    @Test
    void aRestartedNodeKeepsItsStore() throws Exception {
        ManagerConfig config = config();
        try (RaftNode node = new RaftNode(config, new CubeStateMachine())) {
            node.start();
            node.awaitLeader(Duration.ofSeconds(10));
            node.write(submit("kept")).get(5, TimeUnit.SECONDS);
        }
        try (RaftNode node = new RaftNode(config, new CubeStateMachine())) {
            node.start();
            node.awaitLeader(Duration.ofSeconds(10));
            assertEquals("id-kept", node.read(new Query.GetTask("kept")).get(5, TimeUnit.SECONDS).path("id").asText());
        }
    }
}
