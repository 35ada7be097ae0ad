package dev.cube.manager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.gateway.ClusterApi;
import dev.cube.gateway.NoLeaderException;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.manager.leader.WorkerLiveness;
import dev.cube.manager.raft.RaftNode;
import dev.cube.store.Command;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.DivisionInfo;

/** The gateway's view of this manager: writes and reads through Ratis, long-polls and heartbeats locally. */
final class ManagerClusterApi implements ClusterApi {
    private final ManagerConfig config;
    private final RaftNode raft;
    private final WorkerLiveness liveness;
    private final AssignmentWaiters waiters;

    ManagerClusterApi(ManagerConfig config, RaftNode raft, WorkerLiveness liveness, AssignmentWaiters waiters) {
        this.config = config;
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
        return waiters.await(workerId, afterVersion, wait);
    }

    @Override
    public CompletableFuture<Boolean> heartbeat(String workerId, String session) {
        DivisionInfo info = raft.division().getInfo();
        if (!info.isLeader()) {
            return CompletableFuture.failedFuture(new NoLeaderException("manager " + config.id()
                    + " does not lead (leader: " + info.getLeaderId() + "): send heartbeats to the leader", null));
        }
        return CompletableFuture.completedFuture(liveness.heartbeat(workerId, session));
    }

    @Override
    public CompletableFuture<JsonNode> managers() {
        DivisionInfo info = raft.division().getInfo();
        RaftPeerId leader = info.getLeaderId();
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("leader", leader == null ? null : leader.toString());
        answer.put("term", info.getCurrentTerm());
        ArrayNode members = answer.putArray("managers");
        for (ManagerConfig.Member m : config.managers()) {
            ObjectNode node = members.addObject();
            node.put("id", m.id()).put("raft", m.raft()).put("api", m.api());
            node.put("role", leader != null && leader.toString().equals(m.id()) ? "leader" : "follower");
            if (m.id().equals(config.id())) {
                node.put("self", true);
                node.put("term", info.getCurrentTerm());
                node.put("commitIndex", raft.division().getRaftLog().getLastCommittedIndex());
                node.put("lastAppliedIndex", info.getLastAppliedIndex());
            }
        }
        return CompletableFuture.completedFuture(answer);
    }

    @Override
    public JsonNode health() {
        DivisionInfo info = raft.division().getInfo();
        RaftPeerId leader = info.getLeaderId();
        return Json.MAPPER.createObjectNode()
                .put("status", leader == null ? "no-leader" : "ok")
                .put("id", config.id())
                .put("role", info.getCurrentRole().name().toLowerCase())
                .put("leader", leader == null ? null : leader.toString());
    }
}
