package dev.cube.manager;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import dev.cube.events.EventJournal;
import dev.cube.gateway.GatewayServer;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.manager.leader.LeaderDuties;
import dev.cube.manager.raft.RaftNode;
import dev.cube.store.CubeStateMachine;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One manager: its Ratis server, its leader duties, its HTTP gateway, its metrics (HTTP and JMX). */
public final class ManagerNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagerNode.class);

    /** A call the quorum cannot answer in this time gets 503: an election takes about a second. */
    private static final Duration API_TIMEOUT = Duration.ofSeconds(5);

    private final ManagerConfig config;
    private final MetricRegistry metrics = new MetricRegistry();
    /** Cluster events derived from the applied log, for GET /events. */
    private final EventJournal events = new EventJournal();
    private final RaftNode raft;
    private final LeaderDuties duties;
    private final AssignmentWaiters waiters;
    private final ManagerClusterApi clusterApi;
    private final GatewayServer gateway;
    private final JmxReporter jmx;

    public ManagerNode(ManagerConfig config) throws IOException {
        this.config = config;
        CubeStateMachine stateMachine = new CubeStateMachine();
        stateMachine.store().observe(events);
        stateMachine.store().observe(new TaskLifecycleMetrics(metrics));
        this.raft = new RaftNode(config, stateMachine);
        this.duties = new LeaderDuties(config, raft, metrics);
        stateMachine.setLeadershipListener(new CountingLeadership(duties, metrics.counter("cube.raft.leader.changes")));
        this.waiters = new AssignmentWaiters(stateMachine.store());
        stateMachine.onChange(waiters::changed);
        this.clusterApi = new ManagerClusterApi(config, raft, duties.liveness(), waiters, events, metrics,
                ManagerSecurity.peerTls(config));
        this.gateway = new GatewayServer(config.api().host(), config.api().port(), clusterApi, metrics,
                ManagerSecurity.gatewayOptions(config, API_TIMEOUT));
        this.jmx = JmxReporter.forRegistry(metrics).inDomain("cube").build();
    }

    public ManagerNode start() throws Exception {
        ManagerSecurity.warnIfOpen(config, LOG);
        raft.start();
        ManagerMetrics.register(metrics, raft, events);
        gateway.start();
        jmx.start();
        LOG.info("manager {} started: api {}:{}, raft {}, {} member(s), storage {}", config.id(),
                config.api().host(), gateway.port(), config.raft().address(), config.managers().size(),
                config.storage().path());
        return this;
    }

    /** The port the API listens on (useful when the config asked for port 0). */
    public int apiPort() {
        return gateway.port();
    }

    public RaftNode raft() {
        return raft;
    }

    /** Whether this manager runs the leader's duties (scheduler, worker liveness) now. */
    public boolean leaderDutiesRunning() {
        return duties.running();
    }

    public EventJournal events() {
        return events;
    }

    public MetricRegistry metrics() {
        return metrics;
    }

    @Override
    public void close() throws Exception {
        LOG.info("manager {} stopping", config.id());
        jmx.stop();
        gateway.close();
        clusterApi.close();
        duties.close();
        waiters.close();
        raft.close();
    }
}
