package dev.cube.sim;

import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.store.TaskStore;
import dev.cube.testing.LoopbackPorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** One real manager (a one-peer Ratis quorum and its gateway) in this JVM on loopback ports; no worker. */
final class OneManager implements AutoCloseable {
    private final ManagerNode node;

    OneManager(Path dir) throws Exception {
        this(dir, null);
    }

    /** {@code auth}: the tokens it asks for; null for none. */
    OneManager(Path dir, ManagerConfig.Auth auth) throws Exception {
        int[] ports = LoopbackPorts.distinct(2);
        int api = ports[0];
        int raft = ports[1];
        ManagerConfig d = ManagerConfig.defaults();
        node = new ManagerNode(new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", api),
                new ManagerConfig.Endpoint("127.0.0.1", raft),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + raft, "127.0.0.1:" + api)),
                new ManagerConfig.Storage(dir.toString()), new ManagerConfig.Scheduler(Duration.ofMillis(500)),
                new ManagerConfig.Workers(Duration.ofSeconds(10)), d.snapshots()).withSecurity(auth, null)).start();
        if (!node.raft().awaitLeader(Duration.ofSeconds(20))) throw new IllegalStateException("no leader");
    }

    String url() {
        return "http://127.0.0.1:" + node.apiPort();
    }

    ManagerNode node() {
        return node;
    }

    TaskStore store() {
        return node.raft().stateMachine().store();
    }

    @Override
    public void close() throws Exception {
        node.close();
    }
}
