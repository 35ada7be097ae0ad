package dev.cube.manager.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A linearizable read served by a follower sees a write the leader has just acknowledged. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class FollowerReadTest {
    @TempDir
    Path dir;
    private QuorumHarness quorum;

    @AfterEach
    void tearDown() {
        if (quorum != null) quorum.close();
    }

    @Test
    void aFollowerReadSeesTheWriteJustAcknowledged() throws Exception {
        quorum = new QuorumHarness(dir, 10_000);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        int[] followers = {(leader + 1) % 3, (leader + 2) % 3};
        var writer = quorum.node(leader).raft();
        for (int i = 0; i < 50; i++) {
            String name = "r" + i;
            assertInstanceOf(Outcome.Accepted.class, writer.write(QuorumHarness.submit(name)).get(5, TimeUnit.SECONDS));
            int follower = followers[i % 2];
            JsonNode read = quorum.node(follower).raft().read(new Query.GetTask(name)).get(5, TimeUnit.SECONDS);
            assertEquals(name, read.path("name").asText(),
                    "read #" + i + " through follower " + QuorumHarness.id(follower) + " right after the write: " + read);
        }
    }
}
