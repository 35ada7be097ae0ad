package dev.cube.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.cube.events.EventJournal;
import dev.cube.gateway.ClientConnection;
import dev.cube.gateway.ClusterApi;
import dev.cube.gateway.NoLeaderException;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.manager.leader.WorkerLiveness;
import dev.cube.manager.raft.RaftNode;
import dev.cube.model.ManagerInfo;
import dev.cube.store.Command;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;

/** The gateway's view of this manager: writes and reads through Ratis, long-polls and heartbeats locally. */
final class ManagerClusterApi implements ClusterApi {
    private final ManagerConfig config;
    private final RaftNode raft;
    private final WorkerLiveness liveness;
    private final AssignmentWaiters waiters;
    private final EventJournal events;
    private final Counter heartbeats;
    private final Counter unknownHeartbeats;
    private final PeerHealth peers;
    /** Membership changes block in Ratis's admin API: one at a time, off the event loop. */
    private final ExecutorService membership = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("cube-membership").daemon().unstarted(r));

    /** {@code peerTls}: how to reach the other managers' HTTPS API, or null for plain HTTP. */
    ManagerClusterApi(ManagerConfig config, RaftNode raft, WorkerLiveness liveness, AssignmentWaiters waiters,
                      EventJournal events, MetricRegistry metrics, javax.net.ssl.SSLContext peerTls) {
        this.events = events;
        this.heartbeats = metrics.counter("cube.workers.heartbeats");
        this.unknownHeartbeats = metrics.counter("cube.workers.heartbeats.refused");
        this.config = config;
        this.peers = new PeerHealth(Duration.ofSeconds(1), peerTls);
        this.raft = raft;
        this.liveness = liveness;
        this.waiters = waiters;
    }

    @Override
    public CompletableFuture<Outcome> write(Command command) {
        return raft.write(command);
    }

    @Override
    public CompletableFuture<JsonNode> read(Query query, boolean stale) {
        return stale ? CompletableFuture.completedFuture(raft.stateMachine().store().query(query)) : raft.read(query);
    }

    @Override
    public CompletableFuture<Assignments> assignments(String workerId, long afterVersion, Duration wait) {
        return waiters.await(workerId, afterVersion, wait, false);
    }

    @Override
    public CompletableFuture<Assignments> assignments(String workerId, long afterVersion, Duration wait,
                                                      boolean changedOnly) {
        return waiters.await(workerId, afterVersion, wait, changedOnly);
    }

    @Override
    public CompletableFuture<Boolean> heartbeat(String workerId, String session) {
        return heartbeat(workerId, session, ClientConnection.NONE);
    }

    @Override
    public CompletableFuture<Boolean> heartbeat(String workerId, String session, ClientConnection connection) {
        DivisionInfo info = raft.division().getInfo();
        if (!info.isLeader()) {
            return CompletableFuture.failedFuture(new NoLeaderException("manager " + config.id()
                    + " does not lead (leader: " + info.getLeaderId() + "): send heartbeats to the leader", null));
        }
        boolean known = liveness.heartbeat(workerId, session, connection);
        (known ? heartbeats : unknownHeartbeats).inc();
        return CompletableFuture.completedFuture(known);
    }

    @Override
    public EventJournal events() {
        return events;
    }

    /** Every member's own view (its GET /health), this one's read locally, the others' over HTTP. */
    @Override
    public CompletableFuture<JsonNode> managers() {
        JsonNode self = health();
        Map<String, String> apis = apiAddresses();
        List<CompletableFuture<ObjectNode>> members = new ArrayList<>();
        raft.members().forEach((id, raftAddress) -> {
            CompletableFuture<JsonNode> view = id.equals(config.id())
                    ? CompletableFuture.completedFuture(self)
                    : peers.health(apis.get(id));
            members.add(view.thenApply(h -> member(id, raftAddress, apis.get(id), h, self.path("leader").asText(null))));
        });
        return CompletableFuture.allOf(members.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ObjectNode answer = Json.MAPPER.createObjectNode();
            answer.put("leader", self.path("leader").asText(null));
            answer.put("term", self.path("term").asLong());
            ArrayNode list = answer.putArray("managers");
            members.forEach(m -> list.add(m.join()));
            return answer;
        });
    }

    private ObjectNode member(String id, String raftAddress, String api, JsonNode health, String leader) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("id", id).put("raft", raftAddress).put("api", api);
        if (health == null) {
            node.put("role", id.equals(leader) ? "leader" : "unreachable");
            return node;
        }
        node.put("role", health.path("role").asText());
        node.put("term", health.path("term").asLong());
        node.put("commitIndex", health.path("commitIndex").asLong());
        node.put("lastAppliedIndex", health.path("lastAppliedIndex").asLong());
        if (id.equals(config.id())) node.put("self", true);
        return node;
    }

    /** API addresses: from the config, overridden by the replicated directory (managers added later). */
    private Map<String, String> apiAddresses() {
        Map<String, String> apis = new TreeMap<>();
        config.managers().forEach(m -> apis.put(m.id(), m.api()));
        raft.stateMachine().store().managers().forEach(m -> apis.put(m.id(), m.api()));
        return apis;
    }

    @Override
    public CompletableFuture<Outcome> addManager(ManagerInfo manager) {
        return CompletableFuture.supplyAsync(() -> {
            Map<String, String> members = raft.members();
            if (members.containsKey(manager.id())) {
                return new Outcome.Rejected(Outcome.Reason.CONFLICT, "manager " + manager.id() + " is a member already");
            }
            raft.write(new Command.PutManager(manager, Instant.now())).join();
            members.put(manager.id(), manager.raft());
            return change(members, new Outcome.Accepted(Json.MAPPER.valueToTree(manager)));
        }, membership);
    }

    @Override
    public CompletableFuture<Outcome> removeManager(String managerId) {
        return CompletableFuture.supplyAsync(() -> {
            Map<String, String> members = raft.members();
            if (members.remove(managerId) == null) {
                return new Outcome.Rejected(Outcome.Reason.NOT_FOUND, "manager " + managerId + " is not a member");
            }
            if (members.isEmpty()) {
                return new Outcome.Rejected(Outcome.Reason.INVALID, "the last manager cannot leave the quorum");
            }
            Outcome outcome = change(members, new Outcome.Accepted(
                    Json.MAPPER.createObjectNode().put("removed", managerId)));
            raft.write(new Command.RemoveManager(managerId, Instant.now()));
            return outcome;
        }, membership);
    }

    private Outcome change(Map<String, String> members, Outcome done) {
        try {
            raft.setMembers(members);
            return done;
        } catch (java.io.IOException e) {
            throw new NoLeaderException(e.getMessage(), e);
        }
    }

    @Override
    public JsonNode health() {
        DivisionInfo info = raft.division().getInfo();
        RaftPeerId leader = info.getLeaderId();
        return Json.MAPPER.createObjectNode()
                .put("status", leader == null ? "no-leader" : "ok")
                .put("id", config.id())
                .put("role", info.getCurrentRole().name().toLowerCase())
                .put("leader", leader == null ? null : leader.toString())
                .put("term", info.getCurrentTerm())
                .put("commitIndex", raft.division().getRaftLog().getLastCommittedIndex())
                .put("lastAppliedIndex", info.getLastAppliedIndex());
    }

    void close() {
        membership.shutdownNow();
    }
}
