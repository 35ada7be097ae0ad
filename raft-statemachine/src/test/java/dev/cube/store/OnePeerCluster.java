package dev.cube.store;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage.StartupOption;
import org.apache.ratis.util.TimeDuration;

/** A real Ratis group of one peer on 127.0.0.1 around a {@link CubeStateMachine}; restartable on its storage. */
final class OnePeerCluster implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Path storageDir;
    private final int port;
    private final RaftGroup group;
    private RaftServer server;
    private RaftClient client;
    private CubeStateMachine stateMachine;

    OnePeerCluster(Path storageDir) throws IOException {
        this.storageDir = storageDir;
        this.port = freePort();
        RaftPeer peer = RaftPeer.newBuilder().setId("m1").setAddress("127.0.0.1:" + port).build();
        this.group = RaftGroup.valueOf(RaftGroupId.valueOf(UUID.nameUUIDFromBytes("cube-test".getBytes())), peer);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private RaftProperties properties() {
        RaftProperties p = new RaftProperties();
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
        GrpcConfigKeys.Server.setPort(p, port);
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(500, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // A loaded machine can take longer than the 3 s default to answer; a timeout would hide the real reply.
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(20, TimeUnit.SECONDS));
        return p;
    }

    /** Starts the server (formatting the storage the first time, recovering it after) and waits for it to lead. */
    OnePeerCluster start(StartupOption option) throws IOException {
        RaftProperties p = properties();
        stateMachine = new CubeStateMachine();
        server = RaftServer.newBuilder()
                .setServerId(group.getPeers().iterator().next().getId())
                .setGroup(group)
                .setProperties(p)
                .setStateMachine(stateMachine)
                .setOption(option)
                .build();
        server.start();
        client = newClient(RetryPolicies.retryUpToMaximumCountWithFixedSleep(
                50, TimeDuration.valueOf(100, TimeUnit.MILLISECONDS)));
        await().atMost(TIMEOUT).until(() -> server.getDivision(group.getGroupId()).getInfo().isLeaderReady());
        return this;
    }

    /** Another client of the group, with its own retry policy; the caller closes it. */
    RaftClient newClient(RetryPolicy retryPolicy) {
        return RaftClient.newBuilder().setProperties(properties()).setRaftGroup(group).setRetryPolicy(retryPolicy).build();
    }

    /** Closes client and server; the storage stays for a restart. */
    void stop() throws IOException {
        try {
            if (client != null) client.close();
        } finally {
            client = null;
            if (server != null) server.close();
            server = null;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }

    CubeStateMachine stateMachine() {
        return stateMachine;
    }

    /** The Raft term the server leads in. */
    long term() throws IOException {
        return server.getDivision(group.getGroupId()).getInfo().getCurrentTerm();
    }

    TaskStore store() {
        return stateMachine.store();
    }

    RaftClient client() {
        return client;
    }

    /** Sends a message through the log and decodes the outcome. */
    Outcome send(Object command) throws Exception {
        return Json.read(content(() -> client.io().send(CubeStateMachine.encode(command))), Outcome.class);
    }

    /** A linearizable read through Ratis. */
    JsonNode read(Query query) throws Exception {
        return Json.MAPPER.readTree(content(() -> client.io().sendReadOnly(CubeStateMachine.encode(query))));
    }

    /** Forces a snapshot now; returns its log index. */
    long snapshot() throws Exception {
        RaftClientReply reply = bounded(() -> client.getSnapshotManagementApi().create(true, 10_000));
        if (!reply.isSuccess()) throw new AssertionError("snapshot failed: " + reply);
        return reply.getLogIndex();
    }

    interface Call {
        RaftClientReply call() throws IOException;
    }

    private static byte[] content(Call call) throws Exception {
        RaftClientReply reply = bounded(call);
        if (!reply.isSuccess()) throw new AssertionError("request failed: " + reply);
        return reply.getMessage().getContent().toByteArray();
    }

    /** Runs a blocking client call, bounded in time. */
    static RaftClientReply bounded(Call call) throws Exception {
        var future = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return call.call();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
            if (cause instanceof Exception ex) throw ex;
            throw e;
        }
    }
}
