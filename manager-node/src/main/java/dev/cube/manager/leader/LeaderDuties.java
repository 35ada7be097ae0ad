package dev.cube.manager.leader;

import com.codahale.metrics.MetricRegistry;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.manager.raft.RaftNode;
import dev.cube.manager.scheduler.Scheduler;
import dev.cube.store.Command;
import dev.cube.store.LeadershipListener;
import dev.cube.store.Outcome;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the leader-only services when this manager is ready to lead; stops them when it is not. */
public final class LeaderDuties implements LeadershipListener {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderDuties.class);

    private final String selfId;
    private final RaftNode raft;
    private final WorkerLiveness liveness;
    private final List<LeaderService> services;
    private volatile boolean running;

    public LeaderDuties(ManagerConfig config, RaftNode raft, MetricRegistry metrics) {
        this.selfId = config.id();
        this.raft = raft;
        this.liveness = new WorkerLiveness(raft, config.workers().heartbeatTimeout(),
                config.workers().connectionLossGrace());
        this.services = List.of(
                new SchedulerLoop(raft, Scheduler.of(config.scheduler().strategy()), config.scheduler().interval(), metrics),
                liveness);
    }

    public WorkerLiveness liveness() {
        return liveness;
    }

    @Override
    public void onLeaderReady() {
        LOG.info("manager {} leads: starting scheduler and worker liveness", selfId);
        running = true;
        services.forEach(LeaderService::start);
        announce();
    }

    /** Puts this leadership into the log, so that every manager's event stream tells it ("leader-elected"). */
    private void announce() {
        long term = raft.division().getInfo().getCurrentTerm();
        raft.write(new Command.LeaderElected(selfId, Instant.now(), term)).whenComplete((outcome, failure) -> {
            if (failure != null || outcome instanceof Outcome.Rejected) {
                LOG.info("manager {}: its leadership of term {} is not in the log: {}", selfId, term,
                        failure != null ? failure.toString() : outcome);
            }
        });
    }

    /** Whether the scheduler and worker liveness run on this manager now. */
    public boolean running() {
        return running;
    }

    @Override
    public void onLeaderChanged(String leaderId) {
        if (!selfId.equals(leaderId)) {
            LOG.info("manager {} does not lead (leader: {}): leader duties stopped", selfId, leaderId);
            stopAll();
        }
    }

    @Override
    public void onSteppedDown() {
        LOG.info("manager {} stepped down: leader duties stopped", selfId);
        stopAll();
    }

    public void close() {
        stopAll();
    }

    private void stopAll() {
        running = false;
        services.forEach(LeaderService::stop);
    }
}
