package dev.cube.sim;

import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.store.TaskStore;
import java.io.IOException;
import java.net.ServerSocket;
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
        int[] ports = freePorts(2);
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

    /** Distinct free loopback ports, held open at once so that none is handed out twice. */
    private static int[] freePorts(int n) throws IOException {
        ServerSocket[] sockets = new ServerSocket[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
            }
            return java.util.Arrays.stream(sockets).mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : sockets) {
                if (s != null) s.close();
            }
        }
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
