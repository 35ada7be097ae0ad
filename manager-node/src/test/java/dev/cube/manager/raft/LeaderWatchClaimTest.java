package dev.cube.manager.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.protocol.TermIndex;
import org.junit.jupiter.api.Test;

/** Which survivor starts the early election: exactly one of any two, the one that can win and serve soonest. */
class LeaderWatchClaimTest {
    private static LeaderWatch.Claim claim(String id, long term, long index, long applied) {
        return LeaderWatch.Claim.of(RaftPeerId.valueOf(id), TermIndex.valueOf(term, index), applied);
    }

    @Test
    void theMoreCompleteLogWinsEvenIfItHasAppliedLess() {
        var longer = claim("m3", 4, 120, 10);
        var shorter = claim("m1", 4, 119, 119);
        assertTrue(longer.beats(shorter));
        assertFalse(shorter.beats(longer));
    }

    @Test
    void aLaterTermWinsOverAHigherIndex() {
        var later = claim("m2", 5, 100, 100);
        var earlier = claim("m1", 4, 200, 200);
        assertTrue(later.beats(earlier));
        assertFalse(earlier.beats(later));
    }

    @Test
    void amongEqualLogsOneThatIsNotReplayingWins() {
        var replaying = claim("m1", 4, 8125, 5109);
        var caughtUp = claim("m2", 4, 8125, 8124);
        assertTrue(caughtUp.beats(replaying));
        assertFalse(replaying.beats(caughtUp));
    }

    @Test
    void appliedIndexesReadAMomentApartDoNotMakeBothDefer() {
        // m1 read its own applied index (2) before m3's (3), and m3 its own (2) before m1's (3):
        // each would have deferred to the other, and neither would have started the election.
        var m1Own = claim("m1", 1, 4, 2);
        var m3Own = claim("m3", 1, 4, 2);
        var m1Seen = claim("m1", 1, 4, 3);
        var m3Seen = claim("m3", 1, 4, 3);
        assertTrue(m3Seen.beats(m1Own) != m1Seen.beats(m3Own), "exactly one of the two defers");
    }

    @Test
    void equalClaimsGoToTheSmallerIdSoOnlyOneStarts() {
        var a = claim("m1", 4, 10, 10);
        var b = claim("m2", 4, 10, 10);
        assertTrue(a.beats(b));
        assertFalse(b.beats(a));
    }

    @Test
    void raftAddressesParse() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9870), LeaderWatch.address("127.0.0.1:9870"));
        assertEquals(new InetSocketAddress("::1", 9870), LeaderWatch.address("[::1]:9870"));
    }
}
