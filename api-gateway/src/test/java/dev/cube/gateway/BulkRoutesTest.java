package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.TaskState;
import dev.cube.store.Command;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bulk forms of POST /tasks and POST /workers/{id}/status: one command per call, faults named by element. */
class BulkRoutesTest {
    private static final FakeClusterApi api = new FakeClusterApi();
    private static GatewayServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = new GatewayServer("127.0.0.1", 0, api, new MetricRegistry(), Duration.ofMillis(500)).start();
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
        api.forcedOutcome = new Outcome.Accepted(Json.MAPPER.createObjectNode().put("submitted", 3));
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertError(HttpResponse<String> response, String field, String words) throws Exception {
        assertEquals(400, response.statusCode(), response.body());
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertEquals(field, body.path("field").asText(null), response.body());
        assertTrue(body.path("error").asText().contains(words), response.body());
        assertEquals(0, api.writes.size(), "nothing reaches the log");
    }

    @Test
    void anArrayOfTasksIsOneCommand() throws Exception {
        HttpResponse<String> r = post("/tasks", """
                [{"name":"a","image":"cube-demo:latest"},{"name":"b","image":"cube-demo:latest"},
                 {"name":"c","image":"cube-demo:latest","memory":"64m"}]""");
        assertEquals(201, r.statusCode(), r.body());
        assertEquals(1, api.writes.size());
        Command.SubmitTasks submit = assertInstanceOf(Command.SubmitTasks.class, api.writes.getFirst());
        assertEquals(3, submit.tasks().size());
        assertEquals("c", submit.tasks().get(2).spec().name());
        assertEquals(64L << 20, submit.tasks().get(2).spec().memoryBytes());
    }

    @Test
    void aFaultInTheArrayNamesItsElement() throws Exception {
        assertError(post("/tasks", """
                [{"name":"a","image":"cube-demo:latest"},{"name":"b","image":"cube-demo:latest","memory":"lots"}]"""),
                "[1].memory", "[1]: memory");
        assertError(post("/tasks", """
                [{"name":"a","image":"cube-demo:latest"},{"name":"a","image":"cube-demo:latest"}]"""),
                "[1].name", "given twice");
        assertError(post("/tasks", "[{\"name\":\"a\",\"image\":\"cube-demo:latest\"}, 7]"), "[1]", "task object");
        assertError(post("/tasks", "[]"), null, "empty");
        assertError(post("/tasks", "7"), null, "JSON object");
    }

    @Test
    void countMakesReplicasInOneCommand() throws Exception {
        HttpResponse<String> r = post("/tasks", "{\"name\":\"web\",\"image\":\"cube-demo:latest\",\"count\":500}");
        assertEquals(201, r.statusCode(), r.body());
        Command.SubmitReplicas replicas = assertInstanceOf(Command.SubmitReplicas.class, api.writes.getFirst());
        assertEquals(500, replicas.count());
        assertEquals("web", replicas.spec().name());

        api.writes.clear();
        assertError(post("/tasks", "{\"name\":\"web\",\"image\":\"cube-demo:latest\",\"count\":0}"), "count", "from 1");
        assertError(post("/tasks", "{\"name\":\"web\",\"image\":\"cube-demo:latest\",\"count\":\"3\"}"), "count",
                "whole number");
        assertError(post("/tasks", "{\"name\":\"web\",\"image\":\"cube-demo:latest\",\"count\":1000000}"), "count",
                "100000");
        assertError(post("/tasks", "{\"name\":\"" + "w".repeat(60) + "\",\"image\":\"cube-demo:latest\",\"count\":100}"),
                "name", "too long");
        assertError(post("/tasks", "{\"name\":\"web\",\"count\":2}"), "image", "required");
    }

    @Test
    void manyStatusReportsAreOneCommand() throws Exception {
        HttpResponse<String> r = post("/workers/w-1/status", """
                {"session":"s-1","reports":[{"taskId":"t-1","state":"running","containerId":"c1"},
                 {"taskId":"t-2","state":"failed","exitCode":3,"error":"oom"}]}""");
        assertEquals(200, r.statusCode(), r.body());
        Command.ReportTaskStatuses reports = assertInstanceOf(Command.ReportTaskStatuses.class, api.writes.getFirst());
        assertEquals("w-1", reports.workerId());
        assertEquals("s-1", reports.session());
        assertEquals(new Command.StatusUpdate("t-2", TaskState.FAILED, null, 3, "oom"), reports.reports().get(1));
    }

    @Test
    void aFaultInTheReportsNamesItsElement() throws Exception {
        assertError(post("/workers/w-1/status", """
                {"session":"s-1","reports":[{"taskId":"t-1","state":"running"},{"taskId":"t-2","state":"gone"}]}"""),
                "reports[1].state", "must be one of");
        assertError(post("/workers/w-1/status", """
                {"session":"s-1","reports":[{"state":"running"}]}"""), "reports[0].taskId", "required");
        assertError(post("/workers/w-1/status", "{\"session\":\"s-1\",\"reports\":[]}"), "reports", "1 to");
        assertError(post("/workers/w-1/status", "{\"reports\":[{\"taskId\":\"t\",\"state\":\"running\"}]}"),
                "session", "required");
    }

    @Test
    void aStaleSessionIsAConflict() throws Exception {
        api.forcedOutcome = new Outcome.Rejected(Outcome.Reason.STALE, "worker w-1 reports from an outdated session");
        HttpResponse<String> r = post("/workers/w-1/status",
                "{\"session\":\"old\",\"reports\":[{\"taskId\":\"t-1\",\"state\":\"running\"}]}");
        assertEquals(409, r.statusCode(), r.body());
    }
}
