package dev.cube.manager.quorum;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.store.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A follower that was down while the leader wrote 300 tasks and snapshotted every 50 entries
 * catches up when it returns.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FollowerSnapshotCatchUpTest {
    private static final int TASKS = 300;

    @TempDir
    Path dir;
    private QuorumHarness quorum;

    @AfterEach
    void tearDown() {
        if (quorum != null) quorum.close();
    }

    /** What the leader's log looked like when the follower came back. */
    private record LeaderLog(long followerLastIndex, long startIndex, long lastIndex, long snapshotIndex) {}

    /** Stops a follower, writes {@link #TASKS} tasks one entry each, restarts it, awaits it has them all. */
    private LeaderLog catchUpAfterAbsence() throws Exception {
        quorum = new QuorumHarness(dir, 50);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        int follower = quorum.followerIndex(leader);
        long followerLast = quorum.node(follower).raft().division().getRaftLog().getLastEntryTermIndex().getIndex();
        quorum.stop(follower);

        var leaderRaft = quorum.node(leader).raft();
        for (int i = 0; i < TASKS; i++) {
            // One at a time: each write is its own entry (concurrent ones would share entries), so snapshots happen.
            assertInstanceOf(Outcome.Accepted.class, leaderRaft.write(QuorumHarness.submit("s" + i)).get(10, TimeUnit.SECONDS));
        }
        var log = leaderRaft.division().getRaftLog();
        var snapshot = leaderRaft.stateMachine().getLatestSnapshot();
        assertNotNull(snapshot, "the leader took a snapshot (every 50 entries)");
        LeaderLog seen = new LeaderLog(followerLast, log.getStartIndex(), log.getLastEntryTermIndex().getIndex(),
                snapshot.getIndex());
        System.out.println("snapshot catch-up: " + seen);
        assertTrue(seen.snapshotIndex() >= TASKS, "snapshots kept up with the log: " + seen);

        quorum.restart(follower);
        await("the restarted follower has all " + TASKS + " tasks").atMost(Duration.ofSeconds(30))
                .until(() -> quorum.store(follower).tasks().size() >= TASKS);
        for (int i = 0; i < TASKS; i++) {
            assertNotNull(quorum.store(follower).task("s" + i), "s" + i + " on the returned follower");
        }
        return seen;
    }

    @Test
    void aRestartedFollowerCatchesUp() throws Exception {
        catchUpAfterAbsence();
    }

    /**
     * With snapshots every 50 entries and "the log purged behind" them (ManagerConfig.Snapshots),
     * the leader no longer holds the entries the follower missed, so it must send a snapshot.
     */
    @Test
    void theLeaderPurgedItsLogSoTheFollowerInstalledASnapshot() throws Exception {
        LeaderLog seen = catchUpAfterAbsence();
        assertTrue(seen.startIndex() > seen.followerLastIndex() + 1,
                "the leader's log starts after what the follower had, so it could not replay: " + seen);
    }
}
