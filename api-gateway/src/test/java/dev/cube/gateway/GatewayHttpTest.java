package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.Availability;
import dev.cube.model.TaskState;
import dev.cube.store.Command;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import java.io.IOException;
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

/** The gateway over real HTTP on 127.0.0.1, in front of a {@link FakeClusterApi}. */
class GatewayHttpTest {
    private static final FakeClusterApi api = new FakeClusterApi();
    private static final MetricRegistry registry = new MetricRegistry();
    private static GatewayServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        registry.gauge("cube.tasks.state.running", () -> () -> 3);
        registry.counter("cube.scheduler.passes").inc(2);
        server = new GatewayServer("127.0.0.1", 0, api, registry, Duration.ofSeconds(5)).start();
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

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.BodyPublisher publisher = body == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, publisher)
                .timeout(Duration.ofSeconds(10))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return send("GET", path, null);
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return send("POST", path, body);
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        assertEquals(Optional.of("application/json"), response.headers().firstValue("content-type"));
        return Json.MAPPER.readTree(response.body());
    }

    private static void assertError(HttpResponse<String> response, int status, String field) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        JsonNode body = json(response);
        assertTrue(body.path("error").isTextual(), response.body());
        if (field == null) {
            assertFalse(body.has("field"), response.body());
        } else {
            assertEquals(field, body.path("field").asText(), response.body());
        }
    }

    @Test
    void submitAnswers201WithLocationAndTheTask() throws Exception {
        HttpResponse<String> response = post("/tasks", "{\"name\":\"web\",\"image\":\"nginx:1.27\",\"memory\":\"256m\"}");
        assertEquals(201, response.statusCode(), response.body());
        JsonNode task = json(response);
        assertEquals("web", task.path("name").asText());
        assertEquals("pending", task.path("state").asText());
        assertEquals(256L << 20, task.path("spec").path("memoryBytes").asLong());
        assertEquals(Optional.of("/tasks/" + task.path("id").asText()), response.headers().firstValue("location"));
        Command.SubmitTask submitted = (Command.SubmitTask) api.writes.getFirst();
        assertEquals(task.path("id").asText(), submitted.taskId());

        JsonNode byName = json(get("/tasks/web"));
        assertEquals(task.path("id"), byName.path("id"));
        JsonNode list = json(get("/tasks?state=pending&stale=true"));
        assertEquals(1, list.size());
        assertEquals(0, json(get("/tasks?state=running")).size());
    }

    @Test
    void secondTaskWithTheSameNameIsAConflict() throws Exception {
        assertEquals(201, post("/tasks", "{\"name\":\"web\",\"image\":\"nginx\"}").statusCode());
        assertError(post("/tasks", "{\"name\":\"web\",\"image\":\"nginx\"}"), 409, null);
    }

    @Test
    void rejectionsMapToStatuses() throws Exception {
        api.forcedOutcome = new Outcome.Rejected(Outcome.Reason.INVALID, "task is completed");
        assertError(send("DELETE", "/tasks/web", null), 409, null);
        api.forcedOutcome = new Outcome.Rejected(Outcome.Reason.STALE, "old session");
        assertError(post("/workers/w1/tasks/t1/status", "{\"session\":\"s\",\"state\":\"running\"}"), 409, null);
        api.forcedOutcome = null;
        HttpResponse<String> missing = send("DELETE", "/tasks/nope", null);
        assertError(missing, 404, null);
    }

    @Test
    void badInputIs400NamingTheField() throws Exception {
        assertError(post("/tasks", "{\"name\":\"Web\",\"image\":\"nginx\"}"), 400, "name");
        assertError(post("/tasks", "{\"name\":\"web\",\"image\":\"nginx\",\"env\":{\"FOO\":1}}"), 400, "env.FOO");
        assertError(post("/tasks", "{\"name\":\"web\",\"image\":\"nginx\",\"foo\":true}"), 400, "foo");
        HttpResponse<String> malformed = post("/tasks", "{\"name\": \"web\",");
        assertError(malformed, 400, null);
        assertTrue(json(malformed).path("error").asText().startsWith("request body is not valid JSON"));
        assertError(get("/tasks?state=sleeping"), 400, "state");
        assertError(get("/tasks?stale=maybe"), 400, "stale");
        assertError(get("/workers/w1/assignments?after=-1"), 400, "after");
        assertError(get("/workers/w1/assignments?wait=soon"), 400, "wait");
        assertTrue(api.writes.isEmpty());
    }

    @Test
    void bodyOverOneMebibyteIs413() throws Exception {
        String big = "{\"name\":\"web\",\"image\":\"nginx\",\"labels\":{\"a\":\"" + "x".repeat(3 << 19) + "\"}}";
        assertError(post("/tasks", big), 413, null);
        assertEquals(200, get("/health").statusCode(), "the server still answers");
    }

    @Test
    void unknownRouteAndUnknownTaskAre404() throws Exception {
        assertError(get("/nothing/here"), 404, null);
        HttpResponse<String> task = get("/tasks/ghost");
        assertError(task, 404, null);
        assertEquals("no task with name or id 'ghost'", json(task).path("error").asText());
        assertError(get("/workers/ghost"), 404, null);
        assertError(get("/tasks/"), 404, null);
    }

    @Test
    void wrongMethodIs405WithAllow() throws Exception {
        HttpResponse<String> response = send("PUT", "/tasks", "{}");
        assertError(response, 405, null);
        assertEquals(Optional.of("GET, POST"), response.headers().firstValue("allow"));
        HttpResponse<String> onTask = post("/tasks/abc", "{}");
        assertError(onTask, 405, null);
        assertEquals(Optional.of("GET, DELETE"), onTask.headers().firstValue("allow"));
    }

    @Test
    void noLeaderIs503WithRetryAfter() throws Exception {
        api.failure = new NoLeaderException("election under way", null);
        for (HttpResponse<String> response : List.of(
                post("/tasks", "{\"name\":\"web\",\"image\":\"nginx\"}"), get("/tasks"), get("/managers"))) {
            assertError(response, 503, null);
            assertEquals(Optional.of("1"), response.headers().firstValue("retry-after"));
        }
    }

    @Test
    void clusterThatNeverAnswersIs503() throws Exception {
        api.stalled = true;
        HttpResponse<String> response = get("/tasks");
        assertError(response, 503, null);
        assertEquals(Optional.of("1"), response.headers().firstValue("retry-after"));
    }

    @Test
    void unexpectedFailureIs500WithJson() throws Exception {
        api.failure = new IllegalStateException("disk on fire");
        assertError(get("/tasks"), 500, null);
    }

    @Test
    void workerLifecycle() throws Exception {
        HttpResponse<String> registered = post("/workers/register",
                "{\"id\":\"w1\",\"name\":\"node-1\",\"host\":\"10.0.0.5\",\"cpus\":4,\"memory\":8589934592,"
                        + "\"labels\":{\"zone\":\"a\"}}");
        assertEquals(200, registered.statusCode(), registered.body());
        String session = json(registered).path("session").asText();
        assertFalse(session.isEmpty());

        HttpResponse<String> beat = post("/workers/w1/heartbeat", "{\"session\":\"" + session + "\"}");
        assertEquals(200, beat.statusCode());
        assertTrue(json(beat).path("ok").asBoolean());
        HttpResponse<String> stale = post("/workers/w1/heartbeat", "{\"session\":\"old\"}");
        assertError(stale, 404, null);
        assertEquals("unknown worker or session: register again", json(stale).path("error").asText());

        JsonNode assignments = json(get("/workers/w1/assignments?after=7&wait=60000"));
        assertEquals(8, assignments.path("version").asLong());
        assertTrue(assignments.path("tasks").isArray());
        assertEquals(Duration.ofSeconds(30), api.assignmentWaits.getLast(), "wait is capped at 30 s");
        get("/workers/w1/assignments");
        assertEquals(Duration.ofSeconds(10), api.assignmentWaits.getLast());

        String taskId = json(post("/tasks", "{\"name\":\"job\",\"image\":\"busybox\"}")).path("id").asText();
        HttpResponse<String> report = post("/workers/w1/tasks/" + taskId + "/status",
                "{\"session\":\"" + session + "\",\"state\":\"failed\",\"containerId\":\"c1\",\"exitCode\":2,"
                        + "\"error\":\"boom\"}");
        assertEquals(200, report.statusCode(), report.body());
        assertEquals("failed", json(report).path("state").asText());
        Command.ReportTaskStatus command = (Command.ReportTaskStatus) api.writes.getLast();
        assertEquals(TaskState.FAILED, command.state());
        assertEquals("w1", command.workerId());
        assertEquals(2, command.exitCode());

        assertEquals(1, json(get("/workers")).size());
        assertEquals("node-1", json(get("/workers/node-1")).path("name").asText());
        assertError(post("/workers/register", "{\"id\":\"w 1\",\"name\":\"n\",\"host\":\"h\",\"cpus\":1,\"memory\":1}"),
                400, "id");
        assertError(post("/workers/register", "{\"id\":\"w1\",\"name\":\"n\",\"host\":\"h\",\"cpus\":0,\"memory\":1}"),
                400, "cpus");
        assertError(post("/workers/register", "{\"id\":\"w1\",\"name\":\"n\",\"host\":\"h\",\"cpus\":1,\"memory\":1.5}"),
                400, "memory");
        assertError(post("/workers/w1/tasks/t/status", "{\"session\":\"s\",\"state\":\"RUNNING\"}"), 400, "state");
    }

    @Test
    void drainAndActivateAnswerTheWorker() throws Exception {
        post("/workers/register", "{\"id\":\"w1\",\"name\":\"node-1\",\"host\":\"h\",\"cpus\":1,\"memory\":1048576}");
        HttpResponse<String> drained = post("/workers/w1/drain", "");
        assertEquals(200, drained.statusCode(), drained.body());
        assertEquals("drain", json(drained).path("availability").asText());
        assertEquals(new Command.SetWorkerAvailability("w1", Availability.DRAIN,
                ((Command.SetWorkerAvailability) api.writes.getLast()).at()), api.writes.getLast());
        HttpResponse<String> active = post("/workers/node-1/activate", "");
        assertEquals(200, active.statusCode(), active.body());
        assertEquals("active", json(active).path("availability").asText());
        assertEquals("w1", json(active).path("id").asText());
        assertError(post("/workers/ghost/drain", ""), 404, null);
        assertError(post("/workers/ghost/activate", ""), 404, null);
    }

    @Test
    void deleteStopsTheTask() throws Exception {
        post("/tasks", "{\"name\":\"web\",\"image\":\"nginx\"}");
        HttpResponse<String> stopped = send("DELETE", "/tasks/web", null);
        assertEquals(200, stopped.statusCode(), stopped.body());
        assertEquals("stopped", json(stopped).path("desiredState").asText());
    }

    @Test
    void managersJoinAndLeave() throws Exception {
        HttpResponse<String> added = post("/managers", "{\"id\":\"m4\",\"raft\":\"127.0.0.1:9873\",\"api\":\"127.0.0.1:8083\"}");
        assertEquals(201, added.statusCode(), added.body());
        assertEquals(409, post("/managers", "{\"id\":\"m4\",\"raft\":\"127.0.0.1:9873\",\"api\":\"127.0.0.1:8083\"}").statusCode());
        HttpResponse<String> bad = post("/managers", "{\"id\":\"m5\",\"raft\":\"127.0.0.1\",\"api\":\"127.0.0.1:8084\"}");
        assertEquals(400, bad.statusCode());
        assertEquals("raft", json(bad).path("field").asText());
        assertEquals(200, send("DELETE", "/managers/m4", null).statusCode());
        assertEquals(404, send("DELETE", "/managers/m4", null).statusCode());
    }

    @Test
    void managersAndHealth() throws Exception {
        assertEquals("m1", json(get("/managers")).path("leader").asText());
        assertEquals("ok", json(get("/health")).path("status").asText());
        api.leaderless = true;
        HttpResponse<String> health = get("/health");
        assertEquals(503, health.statusCode(), "no leader: load balancers go elsewhere");
    }

    @Test
    void prometheusMetricsCarryRequestLabels() throws Exception {
        get("/tasks/ghost");
        get("/health");
        HttpResponse<String> response = get("/metrics");
        assertEquals(200, response.statusCode());
        assertEquals(Optional.of(PrometheusExposition.CONTENT_TYPE), response.headers().firstValue("content-type"));
        String text = response.body();
        assertTrue(text.contains("# HELP cube_api_requests "), text);
        assertTrue(text.contains("# TYPE cube_api_requests summary"), text);
        assertTrue(text.contains("# TYPE cube_tasks_state_running gauge"), text);
        assertTrue(text.contains("cube_tasks_state_running 3"), text);
        assertTrue(text.contains("cube_scheduler_passes_total 2"), text);
        assertTrue(text.contains("cube_api_requests_count{method=\"GET\",route=\"/tasks/{ref}\",status=\"404\"} "),
                text);
        assertTrue(text.contains("cube_api_requests{method=\"GET\",route=\"/health\",status=\"200\",quantile=\"0.99\"}"),
                text);
        PrometheusTextCheck.assertValid(text);
    }

    @Test
    void jsonMetricsParse() throws Exception {
        get("/health");
        JsonNode metrics = json(get("/metrics?format=json"));
        assertTrue(metrics.path("gauges").has("cube.tasks.state.running"), metrics.toString());
        assertTrue(metrics.path("timers").has("cube.api.requests.get.health.200"), metrics.toString());
        assertError(get("/metrics?format=xml"), 400, "format");

        JsonNode states = json(get("/metrics?format=json&prefix=cube.tasks.state."));
        assertTrue(states.path("gauges").has("cube.tasks.state.running"), states.toString());
        states.path("gauges").fieldNames().forEachRemaining(name ->
                assertTrue(name.startsWith("cube.tasks.state."), name));
        assertEquals(0, states.path("timers").size(), states.toString());
        assertError(get("/metrics?prefix=cube.tasks"), 400, "prefix");
    }

    @Test
    void malformedUrlsAndRequestLinesAre400() throws Exception {
        for (String requestLine : List.of("GET /tasks/%zz HTTP/1.1", "GET /tasks?state=% HTTP/1.1",
                "GET /% HTTP/1.1", "DELETE /tasks/%E0%A4%A HTTP/1.1")) {
            String statusLine = RawHttp.exchange(server.port(), requestLine + "\r\nHost: x\r\n\r\n");
            assertTrue(statusLine.startsWith("HTTP/1.1 400"), requestLine + " -> " + statusLine);
        }
        String garbage = RawHttp.exchange(server.port(), "\u0001\u0002 nonsense\r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 400"), garbage);
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get("/health").statusCode());
        }
    }

    @Test
    void garbageNeverGives500() throws Exception {
        List<String> bodies = List.of("", "null", "0", "[]", "\"x\"", "{", "}", "{}", "{\"a\":}", "\u0000\u0001",
                "{\"name\":{\"x\":[1,2,{}]},\"image\":7}", "[".repeat(2000), "{\"session\":5,\"state\":[]}",
                "{\"id\":\"\",\"name\":null,\"cpus\":\"x\",\"memory\":-1,\"labels\":[]}",
                "{\"session\":\"s\",\"state\":\"running\",\"exitCode\":1e99}", "{\"ports\":[\"99999999999:1\"]}",
                "\uFEFF{}", "{\"name\":\"web\",\"image\":\"nginx\",\"memory\":\"9" + "9".repeat(40) + "\"}");
        List<String> paths = List.of("/tasks", "/tasks/x", "/workers", "/workers/x", "/workers/register",
                "/workers/x/heartbeat", "/workers/x/assignments?wait=1", "/workers/x/tasks/y/status",
                "/managers", "/health", "/metrics", "/tasks/a%2Fb", "/tasks?state=%25");
        for (String path : paths) {
            for (String method : List.of("GET", "POST", "DELETE", "PUT")) {
                for (String body : bodies) {
                    HttpResponse<String> response = send(method, path, body);
                    assertNotEquals(500, response.statusCode(), method + " " + path + " " + body + " -> "
                            + response.body());
                    Json.MAPPER.readTree(response.statusCode() == 200 && path.startsWith("/metrics")
                            ? "{}" : response.body());
                }
            }
        }
    }
}
