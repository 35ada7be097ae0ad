package dev.cube.manager.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.store.Outcome;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the leader's process is gone (its Raft port refuses connections), exactly one survivor
 * starts an election at once (the one with the most complete log), instead of both waiting for
 * their election timeouts or both running and splitting the vote; the new leader then takes writes.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LeaderGoneElectionTest {
    @TempDir
    Path dir;
    private QuorumHarness quorum;

    @AfterEach
    void tearDown() {
        if (quorum != null) quorum.close();
    }

    @Test
    void oneSurvivorStartsAnElectionAsSoonAsTheLeaderIsGone() throws Exception {
        quorum = new QuorumHarness(dir, 10_000);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        long term = quorum.node(leader).raft().division().getInfo().getCurrentTerm();
        assertTrue(quorum.node(leader).raft().write(QuorumHarness.submit("before")).get(10, TimeUnit.SECONDS)
                instanceof Outcome.Accepted, "a write before the leader goes");

        quorum.stop(leader);
        int next = quorum.awaitLeader();

        long early = 0;
        for (int i = 0; i < QuorumHarness.SIZE; i++) {
            if (i != leader) early += quorum.node(i).raft().earlyElections();
        }
        assertEquals(1, early, "elections started early by the survivors");
        assertEquals(term + 1, quorum.node(next).raft().division().getInfo().getCurrentTerm(),
                "one election, no split vote");
        assertTrue(quorum.node(next).raft().write(QuorumHarness.submit("after")).get(10, TimeUnit.SECONDS)
                instanceof Outcome.Accepted, "the new leader takes writes");
    }
}
