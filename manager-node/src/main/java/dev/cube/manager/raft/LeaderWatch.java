package dev.cube.manager.raft;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an election as soon as the leader's process is known to be gone, instead of after the
 * election timeout.
 *
 * <p>Ratis notices a silent leader only when a follower's timer finds no append for a drawn
 * timeout (500–1000 ms); since the timer sleeps a whole drawn timeout between checks, that is
 * 0.5–2 s after the leader's last append. The margin is there for a leader that is alive but
 * paused (GC, a loaded machine) and must stay. A leader whose process ended is a different case:
 * the kernel closes its connections and refuses new ones to its Raft port, so there is nothing to
 * wait for. A follower therefore holds one idle TCP connection to its leader's Raft port; when it
 * ends and a new connection is refused, the leader's process is gone. Then the survivor with the
 * best {@link Claim} (each asks the others for their last entry and applied index: the most complete
 * log, then one not replaying, then the smaller id, so two survivors do not split the vote) starts
 * an election at once.
 *
 * <p>Safety does not depend on this: the election is an ordinary Raft election (the other members
 * vote only for a log at least as complete as theirs), merely started early. A live leader accepts
 * connections, so it is never deposed by this; a leader on a host that vanished without closing its
 * connections (power loss, a cut cable) is left to the election timeout.
 *
 * <p>Ratis has no public call for "start an election now"; the one it has is the request a leader
 * sends to the follower it hands leadership to ({@code startLeaderElection}). The watch sends that
 * request to its own server in the dead leader's name, with this follower's own last entry as the
 * leader's, which Ratis accepts only while it still follows that leader in the current term.
 */
final class LeaderWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderWatch.class);
    /** How often the watch re-checks whom this manager follows while its connection is idle. */
    private static final int POLL_MS = 50;
    /** A refused connection is an answer within microseconds; this bounds the wait for a host that is silent. */
    private static final int CONNECT_TIMEOUT_MS = 250;
    /**
     * How long asking another member for its last log entry may take. The code that asks runs once
     * when a new leader is followed (a first call in a cold JVM took 350+ ms on a loaded machine).
     */
    private static final long PEER_INFO_TIMEOUT_MS = 1000;
    /** After acting on a dead leader, how long to wait for a new one before looking again. */
    private static final long AFTER_ELECTION_MS = 2000;

    private final RaftServer server;
    private final RaftGroup group;
    private final RaftPeerId selfId;
    private final Parameters tls;
    private final AtomicLong elections = new AtomicLong();
    private final AtomicLong leadersGone = new AtomicLong();
    private volatile boolean running = true;
    private final Thread thread;

    LeaderWatch(RaftServer server, RaftGroup group, RaftPeerId selfId, Parameters tls) {
        this.server = server;
        this.group = group;
        this.selfId = selfId;
        this.tls = tls;
        this.thread = Thread.ofPlatform().name("cube-leader-watch").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /**
     * A client for asking the other members, new each time: a channel to a member that has
     * restarted meanwhile stays in gRPC's reconnect back-off and fails at once.
     */
    private RaftClient peerClient() {
        RaftProperties p = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, TimeDuration.valueOf(PEER_INFO_TIMEOUT_MS, TimeUnit.MILLISECONDS));
        return RaftClient.newBuilder().setRaftGroup(group).setProperties(p).setParameters(tls)
                .setRetryPolicy(RetryPolicies.noRetry()).build();
    }

    /** Elections this watch started (each after finding the leader's process gone). */
    long elections() {
        return elections.get();
    }

    /** Times this watch found the leader it followed gone (it then started the election or left it to another). */
    long leadersGone() {
        return leadersGone.get();
    }

    /** The leader this manager follows now, or null (it leads, it is a candidate, or no leader is known). */
    private RaftPeer followedLeader() {
        try {
            RaftServer.Division division = server.getDivision(group.getGroupId());
            var info = division.getInfo();
            if (!info.isFollower() || info.getLeaderId() == null || info.getLeaderId().equals(selfId)) return null;
            return division.getRaftConf().getPeer(info.getLeaderId());
        } catch (IOException | RuntimeException notRunning) {
            return null;
        }
    }

    private boolean follows(RaftPeer leader) {
        RaftPeer now = followedLeader();
        return now != null && now.getId().equals(leader.getId());
    }

    private void run() {
        while (running) {
            try {
                RaftPeer leader = followedLeader();
                if (leader == null || leader.getAddress() == null) {
                    Thread.sleep(POLL_MS);
                } else if (watchUntilGone(leader)) {
                    leadersGone.incrementAndGet();
                    long term = currentTerm();
                    maybeElect(leader);
                    awaitOtherLeader(leader, term);
                } else {
                    Thread.sleep(POLL_MS);   // never a tight loop of connections, whatever closes them
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("leader watch: {}", e.toString());
                sleepQuietly();
            }
        }
    }

    /**
     * Holds a connection to the leader's Raft port until it ends or this manager stops following
     * that leader; true if the leader's process is gone (a new connection is refused).
     */
    private boolean watchUntilGone(RaftPeer leader) throws InterruptedException {
        InetSocketAddress address = address(leader.getAddress());
        Thread.ofVirtual().name("cube-leader-watch-warm").start(() -> warmChannels(leader));
        try (Socket socket = new Socket()) {
            socket.connect(address, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(POLL_MS);
            InputStream in = socket.getInputStream();
            byte[] discard = new byte[256];
            while (running && follows(leader)) {
                try {
                    if (in.read(discard) < 0) break;   // the leader closed it (or its kernel did)
                } catch (SocketTimeoutException idle) {
                    // still connected
                }
            }
        } catch (ConnectException refused) {
            return running && follows(leader);
        } catch (IOException e) {
            // reset, or a silent host: check below
        }
        if (!running || !follows(leader)) return false;
        return refuses(address);
    }

    /** Opens the channels to the other followers and loads the code that asks them, before it is needed. */
    private void warmChannels(RaftPeer leader) {
        try (RaftClient peers = peerClient()) {
            for (RaftPeer peer : server.getDivision(group.getGroupId()).getRaftConf().getCurrentPeers()) {
                if (peer.getId().equals(selfId) || peer.getId().equals(leader.getId())) continue;
                try {
                    peers.getGroupManagementApi(peer.getId()).info(group.getGroupId());
                } catch (IOException | RuntimeException ignored) {
                    // asked again, for real, if the leader goes
                }
            }
        } catch (IOException | RuntimeException notRunning) {
            // nothing to warm
        }
    }

    /** True only when the port answers with a refusal: nothing listens there. */
    private static boolean refuses(InetSocketAddress address) throws InterruptedException {
        try (Socket probe = new Socket()) {
            probe.connect(address, CONNECT_TIMEOUT_MS);
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException silentOrOther) {
            Thread.sleep(POLL_MS);
            return false;
        }
    }

    /**
     * Starts an election if this member's log is the most complete among the members that answer
     * (ties to the smaller id) and those answering make a majority with it; else leaves it to the one
     * that is, or to the election timeout.
     */
    private void maybeElect(RaftPeer deadLeader) {
        RaftServer.Division division;
        try {
            division = server.getDivision(group.getGroupId());
        } catch (IOException e) {
            return;
        }
        TermIndex mine = division.getRaftLog().getLastEntryTermIndex();
        if (mine == null) return;
        List<RaftPeer> voters = List.copyOf(division.getRaftConf().getCurrentPeers());
        // Read after the others answered: a log no longer grows without a leader, but the applied
        // index does, and a claim read before theirs would be older than theirs.
        int answered = answeredBehind(deadLeader, voters, () -> Claim.of(selfId, mine, division.getInfo().getLastAppliedIndex()));
        Claim myClaim = Claim.of(selfId, mine, division.getInfo().getLastAppliedIndex());
        if (answered < 0) return;
        if (answered <= voters.size() / 2) {
            LOG.info("leader {} is gone but only {} of {} members answer: no election", deadLeader.getId(), answered, voters.size());
            return;
        }
        if (!follows(deadLeader)) {
            LOG.info("leader {} is gone; an election began meanwhile", deadLeader.getId());
            return;
        }
        StartLeaderElectionRequestProto request = StartLeaderElectionRequestProto.newBuilder()
                .setServerRequest(RaftProtos.RaftRpcRequestProto.newBuilder()
                        .setRequestorId(deadLeader.getId().toByteString())
                        .setReplyId(selfId.toByteString())
                        .setRaftGroupId(RaftProtos.RaftGroupIdProto.newBuilder().setId(group.getGroupId().toByteString())))
                .setLeaderLastEntry(mine.toProto())
                .build();
        try {
            boolean started = server.startLeaderElection(request).getServerReply().getSuccess();
            if (started) elections.incrementAndGet();
            LOG.info("leader {} is gone (its Raft port {} refuses connections): {} ({})",
                    deadLeader.getId(), deadLeader.getAddress(),
                    started ? "election started at once" : "Ratis declined an early election", myClaim);
        } catch (IOException | RuntimeException e) {
            LOG.info("leader {} is gone; an early election could not start: {}", deadLeader.getId(), e.toString());
        }
    }

    /**
     * Asks the other survivors for their claims: how many answered with a weaker claim than this
     * member's (itself included), or -1 if one has a better claim or is already electing or leading.
     */
    private int answeredBehind(RaftPeer deadLeader, List<RaftPeer> voters, java.util.function.Supplier<Claim> myClaimNow) {
        int answered = 1;   // this member
        try (RaftClient peers = peerClient()) {
            for (RaftPeer peer : voters) {
                if (peer.getId().equals(selfId) || peer.getId().equals(deadLeader.getId())) continue;
                GroupInfoReply info;
                try {
                    info = peers.getGroupManagementApi(peer.getId()).info(group.getGroupId());
                } catch (IOException | RuntimeException silent) {
                    LOG.info("leader {} is gone; {} does not answer: {}", deadLeader.getId(), peer.getId(), silent.toString());
                    continue;
                }
                RaftPeerRole role = info.getRoleInfoProto().getRole();
                if (role == RaftPeerRole.LEADER || role == RaftPeerRole.CANDIDATE) {
                    LOG.info("leader {} is gone; {} is already {}", deadLeader.getId(), peer.getId(), role);
                    return -1;
                }
                var log = info.getLogInfoProto();
                if (!log.hasLastEntry()) return -1;
                Claim theirs = Claim.of(peer.getId(), TermIndex.valueOf(log.getLastEntry()),
                        log.hasApplied() ? log.getApplied().getIndex() : -1);
                Claim myClaim = myClaimNow.get();
                if (theirs.beats(myClaim)) {
                    LOG.info("leader {} is gone; {} has the better claim ({} vs {}) and starts the election",
                            deadLeader.getId(), peer.getId(), theirs, myClaim);
                    return -1;
                }
                answered++;
            }
        } catch (IOException closing) {
            // the answers are in
        }
        return answered;
    }

    /**
     * What a member brings to an election: only a log at least as complete as the others' can win
     * (Raft's rule); among equal logs one that is not replaying (a manager that has just restarted
     * may still be applying thousands of entries) is ready to serve sooner; then the smaller id.
     * Replaying is coarse on purpose: applied indexes keep moving while the survivors compare, and
     * two exact readings taken at different moments had each survivor defer to the other.
     */
    record Claim(RaftPeerId id, TermIndex lastEntry, boolean replaying) {
        /** Entries a member may have left to apply and still count as caught up. */
        static final long REPLAY_LAG = 1000;

        static Claim of(RaftPeerId id, TermIndex lastEntry, long applied) {
            return new Claim(id, lastEntry, lastEntry.getIndex() - applied > REPLAY_LAG);
        }

        boolean beats(Claim other) {
            int log = lastEntry.compareTo(other.lastEntry);
            if (log != 0) return log > 0;
            if (replaying != other.replaying) return !replaying;
            return id.toString().compareTo(other.id.toString()) < 0;
        }

        @Override
        public String toString() {
            return id + ": last entry " + lastEntry + (replaying ? ", replaying" : "");
        }
    }

    private long currentTerm() {
        try {
            return server.getDivision(group.getGroupId()).getInfo().getCurrentTerm();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Waits (bounded) until the dead leader is no longer the one followed, so it is acted on once. */
    private void awaitOtherLeader(RaftPeer deadLeader, long term) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AFTER_ELECTION_MS);
        while (running && System.nanoTime() < deadline && follows(deadLeader) && currentTerm() == term) {
            Thread.sleep(POLL_MS);
        }
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    }

    @Override
    public void close() throws IOException {
        running = false;
        thread.interrupt();
    }
}
