package dev.cube.manager.quorum;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader that loses its quorum stops the scheduler and worker liveness as soon as it steps down,
 * not when it later learns of a new leader: meanwhile it would still declare workers down (writes
 * reach whichever manager leads), though their heartbeats were going elsewhere.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaderStepDownTest {
    @TempDir
    Path dir;
    private QuorumHarness quorum;

    @AfterEach
    void tearDown() {
        if (quorum != null) quorum.close();
    }

    @Test
    void aLeaderWithoutItsQuorumStopsItsDutiesBeforeANewLeaderIsKnown() throws Exception {
        quorum = new QuorumHarness(dir, 10_000);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        await("leader duties start").atMost(Duration.ofSeconds(10))
                .until(() -> quorum.node(leader).leaderDutiesRunning());

        // With both followers gone no new leader can exist: only the step-down itself can stop the duties.
        for (int i = 0; i < QuorumHarness.SIZE; i++) {
            if (i != leader) quorum.stop(i);
        }
        await("the leader steps down").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                .until(() -> !quorum.node(leader).raft().division().getInfo().isLeader());
        await("leader duties stop").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> !quorum.node(leader).leaderDutiesRunning());
        var known = quorum.node(leader).raft().division().getInfo().getLeaderId();
        assertTrue(known == null || known.toString().equals(QuorumHarness.id(leader)),
                "no other manager can have been elected, yet the leader known is " + known);
    }
}
