package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.gateway.ApiAuth.ApiToken;
import dev.cube.gateway.ApiAuth.Role;
import dev.cube.store.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Sends {@value #REQUESTS} random and mutated requests (see {@link FuzzRequests}) to a live gateway
 * with API tokens on, in front of the real task store ({@link StoreClusterApi}), one at a time,
 * and checks after each: no 5xx, every 4xx is a JSON error, a rejected request (4xx) or a read
 * changed nothing in the store, and a well-formed request always gets an answer. At the end the
 * gateway still serves. The seed is fixed (override: {@code -Dcube.fuzz.seed=N}) and printed
 * with any failure; the run stops after {@value #TIME_LIMIT_SECONDS} s at the latest.
 */
class GatewayFuzzTest {
    static final int REQUESTS = 10_000;
    /** 33-90 s were measured for 10,000 requests on two cores shared with other builds (load 19-27). */
    static final long TIME_LIMIT_SECONDS = 180;
    private static final Map<String, String> TOKENS = Map.of(
            "operator", "fuzz-operator-token-0123456789",
            "read-only", "fuzz-reader-token-0123456789",
            "join", "fuzz-join-token-0123456789");

    @Test
    void randomAndMutatedRequestsBreakNothing() throws Exception {
        long seed = Long.getLong("cube.fuzz.seed", 20261125L);
        int requests = Integer.getInteger("cube.fuzz.requests", REQUESTS);
        StoreClusterApi api = new StoreClusterApi();
        ApiAuth auth = new ApiAuth(List.of(new ApiToken("ops", TOKENS.get("operator"), Role.OPERATOR),
                new ApiToken("dash", TOKENS.get("read-only"), Role.READ_ONLY)), TOKENS.get("join"));
        FuzzRequests fuzz = new FuzzRequests(new Random(seed), TOKENS);
        Map<String, Integer> statuses = new TreeMap<>();
        int sent = 0;
        int unanswered = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(TIME_LIMIT_SECONDS).toNanos();
        try (GatewayServer server = new GatewayServer("127.0.0.1", 0, api, new MetricRegistry(),
                GatewayOptions.defaults().withApiTimeout(Duration.ofSeconds(5)).withAuth(auth)).start();
             RawHttpConnection shared = new RawHttpConnection(server.port(), 10_000)) {
            for (; sent < requests && System.nanoTime() < deadline; sent++) {
                if (sent % 1000 == 0) {
                    System.out.printf("gateway fuzz: %d requests after %d ms%n", sent,
                            Duration.ofNanos(System.nanoTime() - deadline).plusSeconds(TIME_LIMIT_SECONDS).toMillis());
                }
                FuzzRequests.Fuzzed request = fuzz.next();
                String where = "seed " + seed + ", request #" + sent + ": " + request.describe();
                List<Long> before = api.fingerprint();
                RawHttpConnection.Response response = null;
                try {
                    if (request.wellFormed()) {
                        response = shared.exchange(request.bytes());
                        assertNotNull(response, "no answer to a well-formed request; " + where);
                    } else {
                        try (RawHttpConnection own = new RawHttpConnection(server.port(), 10_000)) {
                            response = own.exchange(request.bytes());
                        }
                    }
                } catch (java.io.IOException e) {
                    fail("no answer within 10 s (" + e + "); " + where);
                }
                List<Long> after = api.fingerprint();
                if (response == null) {
                    unanswered++;
                    assertEquals(before, after, "an unanswered request changed the store; " + where);
                    continue;
                }
                statuses.merge(response.status() / 100 + "xx " + response.status(), 1, Integer::sum);
                String body = new String(response.body(), StandardCharsets.UTF_8);
                if (response.status() >= 500) {
                    fail("answered " + response.status() + " " + body + "; " + where);
                }
                if (response.status() >= 400) {
                    assertEquals(before, after, "a rejected request (" + response.status() + ") changed the store; "
                            + where);
                    JsonNode error = Json.MAPPER.readTree(response.body());
                    assertTrue(error.path("error").isTextual(), "a " + response.status() + " without a JSON error: "
                            + body + "; " + where);
                } else {
                    assertAllowed(request, where);
                    learn(fuzz, request, response);
                }
                if (request.method().equals("GET")) {
                    assertEquals(before, after, "a read changed the store; " + where);
                }
            }
            RawHttpConnection.Response health = new RawHttpConnection(server.port(), 10_000)
                    .exchange("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertNotNull(health, "the gateway stopped answering after the fuzz (seed " + seed + ")");
            assertEquals(200, health.status());
        }
        System.out.printf("gateway fuzz: seed %d, %d requests (%d unanswered: malformed framing), %d writes reached "
                        + "the store (%d refused by it), store now %d tasks and %d workers; statuses %s%n", seed, sent,
                unanswered, api.writes(), api.refusedWrites, api.store.tasks().size(), api.store.workers().size(), statuses);
        assertTrue(sent >= requests, "only " + sent + " of " + requests + " requests in " + TIME_LIMIT_SECONDS
                + " s (seed " + seed + ")");
    }

    /** A call that succeeded was one its credential allows (see ApiAuth); {@code health} stands for every public route. */
    private static void assertAllowed(FuzzRequests.Fuzzed request, String where) {
        String path = request.target().strip().replaceFirst("\\?.*", "");   // Netty trims the target as it splits the line
        // Public: the health check, and the web console's files (the page asks for the token itself).
        boolean health = path.equals("/health")
                || (request.method().equals("GET") && (path.equals("/") || path.matches("/console/[^/]+")));
        boolean workerCall = path.equals("/workers/register") || path.matches("/workers/[^/]+/(heartbeat|assignments|status)")
                || path.matches("/workers/[^/]+/tasks/[^/]+/status");
        switch (request.credential()) {
            case "none" -> assertTrue(health, "succeeded without a valid token; " + where);
            case "join" -> assertTrue(health || workerCall, "the join token opened a user route; " + where);
            case "read-only" -> assertTrue(health || (request.method().equals("GET") && !workerCall),
                    "a read-only token did more than read; " + where);
            default -> { }
        }
    }

    /** Names, ids and sessions from successful answers, so later requests hit real objects. */
    private static void learn(FuzzRequests fuzz, FuzzRequests.Fuzzed request, RawHttpConnection.Response response)
            throws Exception {
        if (!response.headers().getOrDefault("content-type", "").startsWith("application/json")) {
            return;
        }
        JsonNode json = Json.MAPPER.readTree(response.body());
        if (request.method().equals("POST") && request.target().equals("/tasks") && response.status() == 201) {
            fuzz.taskRefs.add(json.path("id").asText());
            fuzz.taskRefs.add(json.path("name").asText());
        } else if (request.target().equals("/workers/register") && json.path("session").isTextual()) {
            fuzz.workerSessions.put(json.path("id").asText(), json.path("session").asText());
        }
    }
}
