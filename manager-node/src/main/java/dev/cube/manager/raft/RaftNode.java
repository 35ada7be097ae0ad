package dev.cube.manager.raft;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.gateway.NoLeaderException;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.store.Command;
import dev.cube.store.CubeStateMachine;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.RaftRetryFailureException;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * This manager's Ratis server (holding the {@link CubeStateMachine}) and the client the gateway
 * writes and reads through. Timeouts are pinned: elections after 500–1000 ms of silence, so a GC
 * pause does not depose a healthy leader, and a write without a leader fails within seconds.
 */
public final class RaftNode implements AutoCloseable {
    /** One Cube cluster is one Raft group; its id is fixed so every manager agrees without talking. */
    static final RaftGroupId GROUP_ID = RaftGroupId.valueOf(UUID.nameUUIDFromBytes("cube".getBytes(StandardCharsets.UTF_8)));
    /** The largest log entry Ratis accepts (its default is 4 MiB): a large scheduling pass is one entry. */
    public static final int MAX_ENTRY_BYTES = 32 << 20;

    /**
     * Entries in flight at once; more concurrent writes wait and share the next entry. One is
     * fastest here: every entry costs an fsync (≈ 10 ms on this disk), so the fewer and larger the
     * entries the better (64 clients, ops/bench: 1 → 237/s, 4 → 132/s on three managers).
     */
    private static final int MAX_ENTRIES_IN_FLIGHT = 1;
    /**
     * Keeps one entry well under Ratis's 4 MiB append buffer (a submission is a few hundred bytes, a
     * status report of a bulk report about 150): a bulk command weighs its items.
     */
    private static final int MAX_COMMANDS_PER_ENTRY = 1000;

    private final RaftPeerId selfId;
    private final CubeStateMachine stateMachine;
    private final RaftServer server;
    private final RaftGroup group;
    /** Replaced when it gives up: an ordered client whose retries ran out stays closed for good. */
    private volatile RaftClient client;
    private final GroupCommit groupCommit;
    /** Mutual TLS between managers (Ratis gRPC) when the config has a {@code tls} section; else empty. */
    private final Parameters tls;
    /** Starts an election at once when the leader's process is gone (see LeaderWatch). */
    private final LeaderWatch leaderWatch;

    public RaftNode(ManagerConfig config, CubeStateMachine stateMachine) throws IOException {
        this.selfId = RaftPeerId.valueOf(config.id());
        this.stateMachine = stateMachine;
        List<RaftPeer> peers = config.managers().stream()
                .map(m -> RaftPeer.newBuilder().setId(m.id()).setAddress(m.raft()).build())
                .toList();
        this.group = RaftGroup.valueOf(GROUP_ID, peers);
        this.tls = tlsParameters(config);
        this.server = RaftServer.newBuilder()
                .setServerId(selfId)
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(serverProperties(config))
                .setParameters(tls)
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        this.client = newClient(group, tls);
        this.leaderWatch = new LeaderWatch(server, group, selfId, tls);
        this.groupCommit = new GroupCommit(this::send, MAX_ENTRIES_IN_FLIGHT, MAX_COMMANDS_PER_ENTRY, RaftNode::weight);
    }

    /**
     * With a {@code tls} section every gRPC channel of Ratis (server to server, client to server,
     * admin) is mutual TLS: each manager presents its certificate and trusts only the cluster CA.
     */
    private static Parameters tlsParameters(ManagerConfig config) {
        Parameters parameters = new Parameters();
        if (config.tls() != null) {
            GrpcTlsConfig tls = new GrpcTlsConfig(new File(config.tls().key()), new File(config.tls().cert()),
                    new File(config.tls().ca()), true);
            GrpcConfigKeys.Server.setTlsConf(parameters, tls);
            GrpcConfigKeys.Client.setTlsConf(parameters, tls);
            GrpcConfigKeys.Admin.setTlsConf(parameters, tls);
        }
        return parameters;
    }

    private static RaftProperties serverProperties(ManagerConfig config) {
        RaftProperties p = new RaftProperties();
        File dir = new File(config.storage().path(), "raft");
        RaftServerConfigKeys.setStorageDir(p, List.of(dir));
        GrpcConfigKeys.Server.setHost(p, config.raft().host());
        GrpcConfigKeys.Server.setPort(p, config.raft().port());
        // Election timeouts of 1-2 s (etcd's default is 1 s, Swarm's 10 s): G1 pauses of 0.5-1 s on a
        // busy machine deposed live leaders at 0.5-1 s, each move costing seconds of scheduling. A
        // leader whose process dies is replaced sooner anyway (LeaderWatch).
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        // A leader that lost its majority's heartbeats (a follower busy catching up answers late)
        // steps down and, by default, refuses to campaign for 10 s. When its log is the only complete
        // one, nobody else can win meanwhile: writes stopped for 10 s in the failover drill. Pre-vote
        // already keeps a member that is cut off from disrupting a working leader. Ratis also makes a
        // leader step down after a JVM pause longer than this: as long as the followers' timeout.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, TimeDuration.valueOf(2000, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshots().every());
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        // Ratis purges closed segments only, and only this many entries apart.
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(config.snapshots().every(), 1024));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(config.snapshots().segmentBytes()));
        // A scheduling pass is one entry of up to MAX_ENTRY_BYTES; the log's write buffer must hold one.
        RaftServerConfigKeys.Log.Appender.setBufferByteLimit(p, SizeInBytes.valueOf(MAX_ENTRY_BYTES));
        RaftServerConfigKeys.Log.setWriteBufferSize(p, SizeInBytes.valueOf(MAX_ENTRY_BYTES + SizeInBytes.ONE_MB.getSize()));
        return p;
    }

    /**
     * Retries for about four seconds (an election takes about one), then gives up: the caller answers
     * 503. Every 50 ms: a write waiting for a new leader goes out at most that long after it is ready
     * (each failed try is a cheap refusal or NotLeader answer on loopback or LAN).
     */
    private static RaftClient newClient(RaftGroup group, Parameters tls) {
        return RaftClient.newBuilder()
                .setRaftGroup(group)
                .setProperties(clientProperties())
                .setParameters(tls)
                .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(80, TimeDuration.valueOf(50, TimeUnit.MILLISECONDS)))
                .build();
    }

    private synchronized void replaceClient(RaftClient broken) {
        if (client != broken) return;
        client = newClient(group, tls);
        try {
            broken.close();
        } catch (IOException e) {
            // It is being thrown away; nothing to keep from it.
        }
    }

    private static RaftProperties clientProperties() {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(3, TimeUnit.SECONDS));
        return p;
    }

    public void start() throws IOException {
        server.start();
        leaderWatch.start();
    }

    /** Elections this manager started early because its leader's process was gone. */
    public long earlyElections() {
        return leaderWatch.elections();
    }

    /** Times this manager found the leader it followed gone (its Raft port refusing connections). */
    public long leadersFoundGone() {
        return leaderWatch.leadersGone();
    }

    /** Waits until some manager is known to lead and this one has applied what it committed. */
    public boolean awaitLeader(java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var info = division().getInfo();
            if (info.getLeaderId() != null && (!info.isLeader() || info.isLeaderReady())) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    /** The quorum as Ratis knows it now: member id → Raft address. */
    public java.util.Map<String, String> members() {
        java.util.Map<String, String> members = new java.util.TreeMap<>();
        division().getRaftConf().getCurrentPeers().forEach(p -> members.put(p.getId().toString(), p.getAddress()));
        return members;
    }

    /**
     * Changes the quorum to exactly {@code members} (id → Raft address): a Ratis membership change,
     * committed through the leader. Blocks until it is done: call it off the event loop.
     */
    public void setMembers(java.util.Map<String, String> members) throws IOException {
        List<RaftPeer> peers = members.entrySet().stream()
                .map(e -> RaftPeer.newBuilder().setId(e.getKey()).setAddress(e.getValue()).build())
                .toList();
        RaftClientReply reply = client.admin().setConfiguration(peers);
        if (!reply.isSuccess()) {
            throw new IOException("membership change refused: " + reply.getException());
        }
    }

    public String selfId() {
        return selfId.toString();
    }

    public CubeStateMachine stateMachine() {
        return stateMachine;
    }

    public RaftServer.Division division() {
        try {
            return server.getDivision(GROUP_ID);
        } catch (IOException e) {
            throw new IllegalStateException("the Raft group is not running on this manager", e);
        }
    }

    /**
     * Replicates a command; completes with its outcome once applied, or fails with NoLeaderException.
     * Concurrent writes are grouped into shared log entries.
     */
    public CompletableFuture<Outcome> write(Command command) {
        return groupCommit.submit(command);
    }

    /** What a command counts towards the commands of one entry: bulk commands count their items. */
    static int weight(Command command) {
        return switch (command) {
            case Command.SubmitTasks c -> c.tasks().size();
            case Command.ReportTaskStatuses c -> c.reports().size();
            case Command.PlaceTasks c -> c.placements().size();
            default -> 1;
        };
    }

    private CompletableFuture<Outcome> send(Command command) {
        RaftClient used = client;
        return used.async().send(CubeStateMachine.encode(command))
                .thenApply(reply -> Json.read(content(reply), Outcome.class))
                .exceptionally(failure -> {
                    if (gaveUp(failure)) replaceClient(used);
                    return noLeader(failure);
                });
    }

    private static boolean gaveUp(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RaftRetryFailureException || t instanceof AlreadyClosedException) return true;
        }
        return false;
    }

    /**
     * A linearizable read served by this manager (ReadIndex when it follows). Unordered on purpose:
     * an ordered read addressed to one server shares the client's stream with the ordered writes
     * but not their sequence numbers, and the server then waits for a sequence that never comes.
     */
    public CompletableFuture<JsonNode> read(Query query) {
        return client.async().sendReadOnlyUnordered(CubeStateMachine.encode(query), selfId)
                .thenApply(reply -> readTree(content(reply)))
                .exceptionally(RaftNode::noLeader);
    }

    private static byte[] content(RaftClientReply reply) {
        if (!reply.isSuccess()) {
            throw new CompletionException(reply.getException());
        }
        return reply.getMessage().getContent().toByteArray();
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new CompletionException(e);
        }
    }

    private static <T> T noLeader(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        throw new NoLeaderException("no leader could take the request: " + cause, cause);
    }

    @Override
    public void close() throws IOException {
        leaderWatch.close();
        client.close();
        server.close();
    }
}
