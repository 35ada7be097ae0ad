package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.gateway.ApiAuth.ApiToken;
import dev.cube.gateway.ApiAuth.Role;
import dev.cube.store.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** API tokens and the join token, over real HTTP, in front of a {@link FakeClusterApi}. */
class GatewayAuthTest {
    private static final String OPERATOR = "op-0123456789abcdef0123456789";
    private static final String READER = "ro-0123456789abcdef0123456789";
    private static final String JOIN = "join-0123456789abcdef0123456789";
    private static final String TASK = "{\"name\":\"web\",\"image\":\"cube-demo:latest\"}";
    private static final String REGISTRATION =
            "{\"id\":\"w1\",\"name\":\"n1\",\"host\":\"h\",\"cpus\":2,\"memory\":1073741824}";

    private static final FakeClusterApi api = new FakeClusterApi();
    private static GatewayServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        ApiAuth auth = new ApiAuth(List.of(new ApiToken("ops", OPERATOR, Role.OPERATOR),
                new ApiToken("dash", READER, Role.READ_ONLY)), JOIN);
        server = new GatewayServer("127.0.0.1", 0, api, new MetricRegistry(),
                GatewayOptions.defaults().withApiTimeout(Duration.ofSeconds(5)).withAuth(auth)).start();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
        client.close();
    }

    @BeforeEach
    void resetFake() {
        api.reset();
    }

    private static HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsOpenForLoadBalancers() throws Exception {
        assertEquals(200, send("GET", "/health", null, null).statusCode());
    }

    @Test
    void everyOtherCallWithoutAValidTokenIsUnauthorized() throws Exception {
        for (String[] call : List.of(new String[] {"GET", "/tasks"}, new String[] {"GET", "/workers"},
                new String[] {"GET", "/metrics"}, new String[] {"GET", "/managers"}, new String[] {"POST", "/tasks"},
                new String[] {"DELETE", "/tasks/web"}, new String[] {"GET", "/no/such/route"},
                new String[] {"POST", "/workers/register"}, new String[] {"GET", "/workers/w1/assignments"})) {
            HttpResponse<String> none = send(call[0], call[1], call[0].equals("GET") ? null : TASK, null);
            assertEquals(401, none.statusCode(), call[0] + " " + call[1]);
            assertEquals(Optional.of("Bearer realm=\"cube\""), none.headers().firstValue("www-authenticate"));
            assertEquals(401, send(call[0], call[1], null, "not-a-token").statusCode(), call[0] + " " + call[1]);
        }
        assertTrue(api.tasks.isEmpty(), "a refused call reached the cluster");
    }

    @Test
    void readOnlyTokenReadsButCannotWrite() throws Exception {
        assertEquals(200, send("GET", "/tasks", null, READER).statusCode());
        assertEquals(200, send("GET", "/workers", null, READER).statusCode());
        HttpResponse<String> write = send("POST", "/tasks", TASK, READER);
        assertEquals(403, write.statusCode());
        assertTrue(Json.MAPPER.readTree(write.body()).path("error").asText().contains("read-only"), write.body());
        assertEquals(403, send("DELETE", "/tasks/web", null, READER).statusCode());
        assertEquals(403, send("POST", "/workers/register", REGISTRATION, READER).statusCode());
        assertTrue(api.tasks.isEmpty());
    }

    @Test
    void operatorTokenDoesEverything() throws Exception {
        assertEquals(201, send("POST", "/tasks", TASK, OPERATOR).statusCode());
        assertEquals(200, send("GET", "/tasks/web", null, OPERATOR).statusCode());
        assertEquals(200, send("DELETE", "/tasks/web", null, OPERATOR).statusCode());
        assertEquals(200, send("GET", "/tasks", null, "  " + OPERATOR + " ").statusCode());
    }

    @Test
    void joinTokenAdmitsWorkersAndOpensNothingElse() throws Exception {
        HttpResponse<String> registered = send("POST", "/workers/register", REGISTRATION, JOIN);
        assertEquals(200, registered.statusCode(), registered.body());
        String session = Json.MAPPER.readTree(registered.body()).path("session").asText();
        assertFalse(session.isEmpty(), "the worker learns its session from the registration");
        assertEquals(200, send("POST", "/workers/w1/heartbeat", "{\"session\":\"" + session + "\"}", JOIN).statusCode());
        assertEquals(200, send("GET", "/workers/w1/assignments?wait=0", null, JOIN).statusCode());

        assertEquals(403, send("GET", "/tasks", null, JOIN).statusCode());
        assertEquals(403, send("POST", "/tasks", TASK, JOIN).statusCode());
        assertEquals(403, send("GET", "/workers", null, JOIN).statusCode());
        assertTrue(api.tasks.isEmpty());
    }

    @Test
    void workersAreListedWithoutTheirSession() throws Exception {
        assertEquals(200, send("POST", "/workers/register", REGISTRATION, JOIN).statusCode());
        JsonNode list = Json.MAPPER.readTree(send("GET", "/workers", null, READER).body());
        assertEquals(1, list.size());
        assertEquals("w1", list.get(0).path("id").asText());
        assertTrue(list.get(0).path("session").isMissingNode(), list.toString());
        JsonNode one = Json.MAPPER.readTree(send("GET", "/workers/w1", null, READER).body());
        assertEquals("w1", one.path("id").asText());
        assertTrue(one.path("session").isMissingNode(), one.toString());
    }

    @Test
    void tokensNeverShowInToString() {
        assertFalse(new ApiToken("ops", OPERATOR, Role.OPERATOR).toString().contains(OPERATOR));
    }

    @Test
    void withoutTokensEverythingButWorkerCallsIsOpen() {
        ApiAuth joinOnly = new ApiAuth(List.of(), JOIN);
        assertTrue(joinOnly.check(Route.Access.WRITE, null) instanceof ApiAuth.Decision.Allowed);
        assertEquals(new ApiAuth.Decision.Denied(401, "this call needs an API token: send 'Authorization: Bearer <token>'"),
                joinOnly.check(Route.Access.WORKER, null));
        assertTrue(ApiAuth.none().check(Route.Access.WORKER, null) instanceof ApiAuth.Decision.Allowed);
    }
}
