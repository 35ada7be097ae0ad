package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.gateway.ApiAuth.ApiToken;
import dev.cube.gateway.ApiAuth.Role;
import dev.cube.store.Command;
import dev.cube.store.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A worker id is bound to the secret it first registered with, until the operator removes the
 * worker: over real HTTP, with the join token on, in front of the real task store
 * ({@link StoreClusterApi}).
 */
class WorkerSecretHttpTest {
    private static final String OPERATOR = "op-0123456789abcdef0123456789";
    private static final String JOIN = "join-0123456789abcdef0123456789";
    private static final String SECRET = "a".repeat(64);
    private static final String OTHER = "b".repeat(64);

    private StoreClusterApi api;
    private GatewayServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        api = new StoreClusterApi();
        server = new GatewayServer("127.0.0.1", 0, api, new MetricRegistry(), GatewayOptions.defaults()
                .withApiTimeout(Duration.ofSeconds(5))
                .withAuth(new ApiAuth(List.of(new ApiToken("ops", OPERATOR, Role.OPERATOR)), JOIN))).start();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> register(String secret) throws Exception {
        String field = secret == null ? "" : ",\"secret\":\"" + secret + "\"";
        return send("POST", "/workers/register",
                "{\"id\":\"w1\",\"name\":\"n1\",\"host\":\"h\",\"cpus\":2,\"memory\":1073741824" + field + "}", JOIN);
    }

    @Test
    void onlyTheSecretAnIdFirstCameWithRegistersItAgain() throws Exception {
        HttpResponse<String> first = register(SECRET);
        assertEquals(200, first.statusCode(), first.body());
        String session = Json.MAPPER.readTree(first.body()).path("session").asText();

        HttpResponse<String> impostor = register(OTHER);
        assertEquals(403, impostor.statusCode(), impostor.body());
        assertEquals("worker id w1 is registered with another secret",
                Json.MAPPER.readTree(impostor.body()).path("error").asText());
        HttpResponse<String> none = register(null);
        assertEquals(403, none.statusCode(), none.body());
        assertEquals(session, api.store.worker("w1").session(), "the refused registrations changed nothing");

        HttpResponse<String> again = register(SECRET);
        assertEquals(200, again.statusCode(), again.body());
        assertNotEquals(session, Json.MAPPER.readTree(again.body()).path("session").asText());
    }

    @Test
    void theSecretNeverLeavesTheManagers() throws Exception {
        HttpResponse<String> registered = register(SECRET);
        assertFalse(registered.body().contains("secret"), registered.body());
        String hash = api.store.worker("w1").secretHash();
        assertEquals(64, hash.length(), "a SHA-256 in hex");
        assertFalse(hash.contains(SECRET));
        for (String path : List.of("/workers", "/workers/w1", "/workers/w1/drain")) {
            HttpResponse<String> r = send(path.endsWith("drain") ? "POST" : "GET", path, null, OPERATOR);
            assertEquals(200, r.statusCode(), r.body());
            assertFalse(r.body().contains("secret") || r.body().contains(hash), path + ": " + r.body());
        }
    }

    @Test
    void removingAWorkerDeclaredDownFreesItsId() throws Exception {
        assertEquals(200, register(SECRET).statusCode());
        HttpResponse<String> ready = send("DELETE", "/workers/n1", null, OPERATOR);
        assertEquals(409, ready.statusCode(), ready.body());
        assertEquals(403, send("DELETE", "/workers/w1", null, JOIN).statusCode(), "the join token removes nothing");
        assertEquals(404, send("DELETE", "/workers/ghost", null, OPERATOR).statusCode());

        api.write(new Command.MarkWorkerDown("w1", "missed its heartbeats", Instant.now())).get(5, TimeUnit.SECONDS);
        HttpResponse<String> removed = send("DELETE", "/workers/n1", null, OPERATOR);
        assertEquals(200, removed.statusCode(), removed.body());
        assertEquals("w1", Json.MAPPER.readTree(removed.body()).path("removed").asText());
        assertEquals(404, send("GET", "/workers/w1", null, OPERATOR).statusCode());
        assertEquals(200, register(OTHER).statusCode(), "a forgotten id registers with a new secret");
    }

    @Test
    void aMalformedSecretIsA400NamingIt() throws Exception {
        for (String secret : List.of("short", "x".repeat(129), "a".repeat(40) + " " + "a".repeat(10))) {
            HttpResponse<String> r = register(secret);
            assertEquals(400, r.statusCode(), r.body());
            JsonNode error = Json.MAPPER.readTree(r.body());
            assertEquals("secret", error.path("field").asText(), r.body());
            assertTrue(error.path("error").asText().contains("secret must be 32 to 128"), r.body());
        }
        assertEquals(List.of(), api.store.workers());
    }
}
