package dev.cube.manager.quorum;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.manager.raft.RaftNode;
import dev.cube.store.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leader is closed while a writer keeps submitting: no acknowledged write is lost, writes
 * resume on the new leader, and once the old leader is back every store holds every acknowledged
 * task, each name at most once among live tasks.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LeaderKillUnderWritesTest {
    private static final int MAX_WRITES = 300;
    private static final Duration MAX_WRITING = Duration.ofSeconds(20);
    /** Writes in flight at once: enough to have entries pipelined (and batched) when the leader dies. */
    private static final int WINDOW = 8;

    @TempDir
    Path dir;
    private QuorumHarness quorum;

    @AfterEach
    void tearDown() {
        if (quorum != null) quorum.close();
    }

    @Test
    void noAcknowledgedWriteIsLostWhenTheLeaderDies() throws Exception {
        quorum = new QuorumHarness(dir, 10_000);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        // Write through a follower's client: the leader's own client dies with it.
        RaftNode writerNode = quorum.node(quorum.followerIndex(leader)).raft();

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        Map<String, String> failed = new ConcurrentHashMap<>();
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger ackedAfterKill = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        Semaphore window = new Semaphore(WINDOW);
        Thread writer = new Thread(() -> {
            long deadline = System.nanoTime() + MAX_WRITING.toNanos();
            try {
                for (int i = 0; i < MAX_WRITES && System.nanoTime() < deadline; i++) {
                    if (!window.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) break;
                    String name = "w" + i;
                    attempts.incrementAndGet();
                    writerNode.write(QuorumHarness.submit(name)).orTimeout(15, TimeUnit.SECONDS)
                            .whenComplete((outcome, failure) -> {
                                if (outcome instanceof Outcome.Accepted) {
                                    acknowledged.add(name);
                                    if (killed.get()) ackedAfterKill.incrementAndGet();
                                } else {
                                    failed.put(name, failure != null ? failure.toString() : String.valueOf(outcome));
                                }
                                window.release();
                            });
                }
                window.acquire(WINDOW); // every write answered
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "writer");
        writer.start();

        await("100 acknowledged writes before the kill").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(5)).until(() -> acknowledged.size() >= 100);
        int ackedBeforeKill = acknowledged.size();
        killed.set(true);
        quorum.stop(leader);

        await("writes resume on a new leader").atMost(Duration.ofSeconds(15))
                .until(() -> ackedAfterKill.get() >= 20 || !writer.isAlive());
        quorum.restart(leader);
        writer.join(Duration.ofSeconds(40));
        assertTrue(!writer.isAlive(), "the writer finished within its bound");
        System.out.printf("leader-kill: %d attempted, %d acknowledged (%d before the kill, %d after), %d failed: %s%n",
                attempts.get(), acknowledged.size(), ackedBeforeKill, ackedAfterKill.get(), failed.size(),
                failed.entrySet().stream().limit(5).toList());
        assertTrue(ackedAfterKill.get() > 0, "some writes acknowledged after the leader was closed");

        for (int i = 0; i < QuorumHarness.SIZE; i++) {
            int index = i;
            await("every acknowledged task on " + QuorumHarness.id(i)).atMost(Duration.ofSeconds(30))
                    .until(() -> QuorumHarness.names(quorum.store(index)).containsAll(acknowledged));
            assertEquals(Map.of(), QuorumHarness.liveDuplicates(quorum.store(index)),
                    "no name held twice by live tasks on " + QuorumHarness.id(i));
        }
        List<String> missing = new ArrayList<>(acknowledged);
        missing.removeAll(QuorumHarness.names(quorum.store(leader)));
        assertEquals(List.of(), missing, "the restarted old leader has every acknowledged task");
    }
}
