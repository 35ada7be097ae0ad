package dev.cube.manager.quorum;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.events.EventJournal;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the leader is gone (its Raft port refuses connections), the survivors notice it and at most
 * one of them starts an election at once (they never both run and split the vote); the new leader
 * then takes writes. Closing a manager in-process stops its appends a moment before its port, so a
 * survivor's election timer may still win that race here; a killed process closes both at once
 * (see ops/drill).
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
        long noticed = 0;
        for (int i = 0; i < QuorumHarness.SIZE; i++) {
            if (i == leader) continue;
            early += quorum.node(i).raft().earlyElections();
            noticed += quorum.node(i).raft().leadersFoundGone();
        }
        assertTrue(noticed >= 1, "a survivor found the leader's Raft port refusing connections");
        assertTrue(early <= 1, "at most one survivor started an early election, was " + early);
        assertTrue(quorum.node(next).raft().division().getInfo().getCurrentTerm() > term, "a new term");
        assertTrue(quorum.node(next).raft().write(QuorumHarness.submit("after")).get(10, TimeUnit.SECONDS)
                instanceof Outcome.Accepted, "the new leader takes writes");

        long newTerm = quorum.node(next).raft().division().getInfo().getCurrentTerm();
        for (int i = 0; i < QuorumHarness.SIZE; i++) {
            if (i == leader) continue;
            int survivor = i;
            await("the election in " + QuorumHarness.id(i) + "'s event stream").atMost(Duration.ofSeconds(20))
                    .until(() -> elections(quorum.node(survivor).events()).contains(QuorumHarness.id(next) + "@" + newTerm));
        }
    }

    /** The leader-elected events a journal holds, as {@code managerId@term}. */
    private static List<String> elections(EventJournal journal) {
        List<String> seen = new ArrayList<>();
        journal.subscribe(0L, (index, line) -> {
            JsonNode event;
            try {
                event = Json.MAPPER.readTree(line);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (event.path("type").asText().equals("leader-elected")) {
                seen.add(event.path("key").asText() + "@" + event.path("payload").path("term").asLong());
            }
        }).cancel().run();
        return seen;
    }
}
