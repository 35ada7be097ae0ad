package dev.cube.manager.quorum;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** All three managers closed and started again on their storage: the store comes back whole. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FullRestartTest {
    @TempDir
    Path dir;
    private QuorumHarness quorum;

    @AfterEach
    void tearDown() {
        if (quorum != null) quorum.close();
    }

    @Test
    void aFullRestartRestoresEveryTask() throws Exception {
        // Snapshots every 20 entries: the restart loads a snapshot and replays the log after it.
        quorum = new QuorumHarness(dir, 20);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        Set<String> written = new TreeSet<>();
        var raft = quorum.node(leader).raft();
        for (int i = 0; i < 40; i++) { // one entry each
            assertInstanceOf(Outcome.Accepted.class, raft.write(QuorumHarness.submit("f" + i)).get(10, TimeUnit.SECONDS));
            written.add("f" + i);
        }
        List<CompletableFuture<Outcome>> concurrent = new ArrayList<>();
        for (int i = 40; i < 80; i++) { // group-committed into shared entries
            concurrent.add(raft.write(QuorumHarness.submit("f" + i)));
            written.add("f" + i);
        }
        for (CompletableFuture<Outcome> f : concurrent) {
            assertInstanceOf(Outcome.Accepted.class, f.get(10, TimeUnit.SECONDS));
        }

        quorum.close();
        quorum.startAll();
        quorum.awaitLeader();

        for (int i = 0; i < QuorumHarness.SIZE; i++) {
            int index = i;
            JsonNode tasks;
            try {
                tasks = await("a linearizable read through " + QuorumHarness.id(i)).atMost(Duration.ofSeconds(20))
                        .ignoreExceptions()
                        .until(() -> quorum.node(index).raft().read(new Query.ListTasks(null)).get(5, TimeUnit.SECONDS),
                                JsonNode::isArray);
            } catch (ConditionTimeoutException e) {
                // Seen once in a full CI run, never alone: say where each member's log stood.
                throw new AssertionError(e.getMessage() + "; " + raftStates(), e);
            }
            Set<String> names = new TreeSet<>();
            tasks.forEach(t -> names.add(t.path("name").asText()));
            assertEquals(written, names, "every task read through " + QuorumHarness.id(i) + " after the restart");
            assertEquals(written, new TreeSet<>(QuorumHarness.names(quorum.store(i))),
                    "the local store of " + QuorumHarness.id(i) + " after the restart");
        }
    }

    private String raftStates() {
        List<String> states = new ArrayList<>();
        for (int i = 0; i < QuorumHarness.SIZE; i++) {
            var info = quorum.node(i).raft().division().getInfo();
            states.add(QuorumHarness.id(i) + ": " + info.getCurrentRole() + " in term " + info.getCurrentTerm()
                    + ", leader " + info.getLeaderId() + ", applied " + info.getLastAppliedIndex()
                    + ", log " + quorum.node(i).raft().division().getRaftLog().getLastEntryTermIndex()
                    + ", committed " + quorum.node(i).raft().division().getRaftLog().getLastCommittedIndex());
        }
        return String.join("; ", states);
    }
}
