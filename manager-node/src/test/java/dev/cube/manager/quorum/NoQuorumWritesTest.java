package dev.cube.manager.quorum;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With two of three managers down, a write is refused (the future fails, HTTP answers 503 with
 * Retry-After) rather than accepted and lost; once a majority is back, new writes succeed.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
class NoQuorumWritesTest {
    /** The brief's bound on a refused write through RaftNode. */
    private static final Duration WRITE_BOUND = Duration.ofSeconds(15);
    /** The gateway answers within its API timeout (5 s); slack for the event loop on 2 cores. */
    private static final Duration HTTP_BOUND = Duration.ofSeconds(12);

    @TempDir
    Path dir;
    private QuorumHarness quorum;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void tearDown() {
        if (quorum != null) quorum.close();
        http.close();
    }

    /**
     * The survivor is a follower: its writes are refused (NoLeaderException, 503 with Retry-After)
     * within bounds, never acknowledged; once a second manager returns, writes succeed again and a
     * retried write never makes a second task of the same name.
     */
    @Test
    void withOnlyAFollowerLeftWritesAreRefusedNeverAcknowledged() throws Exception {
        quorum = new QuorumHarness(dir, 10_000);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        int survivor = quorum.followerIndex(leader);
        int other = 3 - leader - survivor;
        quorum.stop(leader);
        quorum.stop(other);

        long start = System.nanoTime();
        CompletableFuture<Outcome> refused = quorum.node(survivor).raft().write(QuorumHarness.submit("refused"));
        CompletableFuture<HttpResponse<String>> post = postTaskAsync(survivor, "refused-http");
        Throwable failure = failureWithin(refused, WRITE_BOUND);
        System.out.printf("no-quorum (follower left): RaftNode.write failed after %d ms with %s%n",
                millisSince(start), failure);
        HttpResponse<String> response = answered(post, start, survivor, "refused-http");
        assertEquals(503, response.statusCode(), "POST /tasks without a quorum: " + response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent(), "503 carries Retry-After");

        quorum.restart(leader);
        quorum.awaitLeader();
        // A refused write's outcome is unknown: it may still take effect once a leader is back (it
        // was handed to Raft before the caller gave up). What must hold: never two tasks for a name,
        // and a retry under the same name either succeeds or names the task that holds it.
        for (String name : new String[] {"refused", "refused-http"}) {
            HttpResponse<String> retry = answered(postTaskAsync(leader, name), System.nanoTime(), leader, name);
            assertTrue(retry.statusCode() == 201 || retry.statusCode() == 409,
                    "retrying " + name + ": " + retry.statusCode() + " " + retry.body());
            await(name + " held by exactly one task").during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(8))
                    .until(() -> quorum.store(leader).tasks().stream().filter(t -> t.name().equals(name)).count() == 1);
        }
        HttpResponse<String> after = answered(postTaskAsync(leader, "after"), System.nanoTime(), leader, "after");
        assertEquals(201, after.statusCode(), "POST /tasks succeeds again: " + after.body());
    }

    /**
     * A manager whose Raft client gave up on a write during the outage must write again once a
     * majority is back. (Ratis closes an ordered client's sliding window for good when its retries
     * run out; RaftNode replaces such a client.)
     */
    @Test
    void aManagerWritesAgainOnceTheQuorumIsBack() throws Exception {
        quorum = new QuorumHarness(dir, 10_000);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        int survivor = quorum.followerIndex(leader);
        quorum.stop(leader);
        quorum.stop(3 - leader - survivor);
        failureWithin(quorum.node(survivor).raft().write(QuorumHarness.submit("refused")), WRITE_BOUND);

        quorum.restart(leader);
        quorum.awaitLeader();
        await("a write through " + QuorumHarness.id(survivor) + " is accepted again").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> quorum.node(survivor).raft().write(QuorumHarness.submit("again")).get(5, TimeUnit.SECONDS),
                        outcome -> outcome instanceof Outcome.Accepted);
        await("POST /tasks on " + QuorumHarness.id(survivor) + " is accepted again").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> postTaskAsync(survivor, "again-http").get(15, TimeUnit.SECONDS).statusCode(), s -> s == 201);
    }

    /**
     * The survivor is the leader: it may append the write before it notices it lost its majority,
     * and that entry can commit once a follower returns, although the caller was told to retry.
     * This test records what happens rather than asserting one outcome (see the printed lines).
     */
    @Test
    void withOnlyTheLeaderLeftAWriteIsRefusedButMayCommitLater() throws Exception {
        quorum = new QuorumHarness(dir, 10_000);
        quorum.startAll();
        int leader = quorum.awaitLeader();
        int f1 = (leader + 1) % 3;
        int f2 = (leader + 2) % 3;
        quorum.stop(f1);
        quorum.stop(f2);

        long start = System.nanoTime();
        CompletableFuture<Outcome> refused = quorum.node(leader).raft().write(QuorumHarness.submit("maybe"));
        CompletableFuture<HttpResponse<String>> post = postTaskAsync(leader, "maybe-http");
        HttpResponse<String> response = answered(post, start, leader, "maybe-http");
        assertEquals(503, response.statusCode(), "POST /tasks without a quorum: " + response.body());
        assertTrue(response.headers().firstValue("Retry-After").isPresent(), "503 carries Retry-After");
        Throwable failure = failureWithin(refused, Duration.ofSeconds(60));
        System.out.printf("no-quorum (leader left): RaftNode.write failed after %d ms with %s%n",
                millisSince(start), failure);

        quorum.restart(f1);
        int newLeader = quorum.awaitLeader();
        await("the quorum applied what it will").atMost(Duration.ofSeconds(10))
                .until(() -> quorum.store(f1).version() == quorum.store(newLeader).version());
        System.out.printf("no-quorum (leader left): after %s returned (leader %s): 'maybe' %s, 'maybe-http' %s%n",
                QuorumHarness.id(f1), QuorumHarness.id(newLeader),
                quorum.store(f1).task("maybe") == null ? "absent" : "PRESENT",
                quorum.store(f1).task("maybe-http") == null ? "absent" : "PRESENT");
        assertInstanceOf(Outcome.Accepted.class, quorum.node(f1).raft()
                .write(QuorumHarness.submit("later")).get(10, TimeUnit.SECONDS), "new writes succeed");
    }

    /** Waits for the future to fail within the bound; a success or a hang fails the test. */
    private static Throwable failureWithin(CompletableFuture<Outcome> write, Duration bound) throws InterruptedException {
        try {
            Outcome outcome = write.get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return fail("a write without a quorum was acknowledged: " + outcome);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return fail("a write without a quorum neither failed nor succeeded within " + bound);
        }
    }

    private CompletableFuture<HttpResponse<String>> postTaskAsync(int manager, String name) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + quorum.node(manager).apiPort() + "/tasks"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\",\"image\":\"img\"}"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The response, which must come within {@link #HTTP_BOUND} of {@code start}. */
    private static HttpResponse<String> answered(CompletableFuture<HttpResponse<String>> post, long start, int manager,
                                                 String name) throws Exception {
        HttpResponse<String> response = post.get(30, TimeUnit.SECONDS);
        long took = millisSince(start);
        System.out.printf("POST /tasks %s on %s: %d after %d ms, Retry-After %s, %s%n", name, QuorumHarness.id(manager),
                response.statusCode(), took, response.headers().firstValue("Retry-After").orElse("-"), response.body());
        assertTrue(took < HTTP_BOUND.toMillis(), "POST /tasks answered within " + HTTP_BOUND + " (took " + took + " ms)");
        return response;
    }

    private static long millisSince(long start) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
