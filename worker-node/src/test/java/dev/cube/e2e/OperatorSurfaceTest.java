package dev.cube.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.store.Json;
import dev.cube.worker.agent.UsageSampler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.DoublePredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator sees, with real parts (one manager, one worker agent, dockerd): container logs
 * through any manager, the event stream, and the metrics of manager and worker.
 */
class OperatorSurfaceTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    LocalCube cube;
    Http http;
    final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<InputStream> streams = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        cube = new LocalCube(dir, "ops-" + Long.toHexString(System.nanoTime())).startManager().startWorker();
        http = cube.http();
        await().atMost(WAIT).until(() -> http.get("/workers").body().size() == 1);
    }

    @AfterEach
    void stop() throws Exception {
        for (InputStream s : streams) s.close();
        cube.close();
        client.close();
    }

    private String submit(String name, String command, String memory) {
        Http.Reply reply = http.post("/tasks", """
                {"name": "%s", "image": "cube-demo:latest", "command": %s, "cpus": 0.1, "memory": "%s"}
                """.formatted(name, command, memory));
        assertEquals(201, reply.status(), () -> "POST /tasks answered " + reply.body());
        return reply.body().path("id").asText();
    }

    private HttpResponse<String> getText(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(cube.url() + path)).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a stream and collects its lines on a virtual thread; {@code ended} turns true at its end. */
    private List<String> lines(String url, AtomicBoolean ended) throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        streams.add(response.body());
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread.ofVirtual().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) lines.add(line);
            } catch (IOException closed) {
                // the test closed it
            }
            ended.set(true);
        });
        return lines;
    }

    @Test
    void logsTailAndFollowUntilTheTaskStops() throws Exception {
        submit("talker", "[\"sh\", \"-c\", \"echo one; echo two; echo three; sleep 8; echo later; sleep 300\"]", "32m");
        await().atMost(WAIT).until(() -> getText("/tasks/talker/logs").body().contains("three"));
        HttpResponse<String> early = getText("/tasks/talker/logs");
        assertEquals(200, early.statusCode());
        assertEquals("text/plain; charset=utf-8", early.headers().firstValue("content-type").orElse(""));
        assertEquals("one\ntwo\nthree\n", early.body(), "the line 'later' is not written yet");

        AtomicBoolean ended = new AtomicBoolean();
        List<String> followed = lines(cube.url() + "/tasks/talker/logs?follow=true", ended);
        await().atMost(WAIT).until(() -> followed.contains("later"));
        assertEquals(List.of("one", "two", "three", "later"), List.copyOf(followed));
        assertFalse(ended.get(), "the stream follows while the task runs");

        assertEquals("later\n", getText("/tasks/talker/logs?tail=1").body());
        assertEquals("three\nlater\n", getText("/tasks/talker/logs?tail=2").body());

        String id = http.get("/tasks/talker").body().path("id").asText();
        String direct = "http://127.0.0.1:" + cube.agentServer().port() + "/containers/logs?task=" + id;
        for (String signature : new String[] {null, "9999999999.00", "1.abc"}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(direct)).timeout(Duration.ofSeconds(15));
            if (signature != null) request.header("X-Cube-Signature", signature);
            HttpResponse<String> unsigned = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, unsigned.statusCode(), "the agent serves logs to managers only: " + unsigned.body());
            assertFalse(unsigned.body().contains("later"), unsigned.body());
        }

        assertEquals(200, http.delete("/tasks/talker").status());
        await().atMost(WAIT).untilTrue(ended);
    }

    @Test
    void logsOfAnUnknownTaskOrOneNeverPlacedAreClearErrors() throws Exception {
        // a 503 (no answer from the quorum in time, on a loaded machine) means retry
        await().atMost(WAIT).until(() -> getText("/tasks/nobody/logs").statusCode() != 503);
        HttpResponse<String> unknown = getText("/tasks/nobody/logs");
        assertEquals(404, unknown.statusCode());
        assertTrue(Json.MAPPER.readTree(unknown.body()).path("error").asText().contains("nobody"));

        submit("huge", "[\"sleep\", \"300\"]", "1000g");
        HttpResponse<String> pending = getText("/tasks/huge/logs");
        assertEquals(409, pending.statusCode());
        String error = Json.MAPPER.readTree(pending.body()).path("error").asText();
        assertTrue(error.contains("huge") && error.contains("has not been placed"), error);
    }

    @Test
    void eventsTellTheTaskLifeAndResumeAfterAnIndex() throws Exception {
        AtomicBoolean ended = new AtomicBoolean();
        List<String> live = lines(cube.url() + "/events", ended);
        String id = submit("watched", "[\"sleep\", \"300\"]", "32m");
        await().atMost(WAIT).until(() -> types(live, id).contains("task-running"));
        // a pass may first record why the task waits (task-unplaced): the life is the rest
        List<JsonNode> mine = events(live, id).stream()
                .filter(e -> !e.path("type").asText().equals("task-unplaced")).toList();
        assertEquals(List.of("task-submitted", "task-scheduled", "task-running"),
                mine.stream().map(e -> e.path("type").asText()).toList());
        assertTrue(mine.get(0).path("index").asLong() < mine.get(1).path("index").asLong()
                && mine.get(1).path("index").asLong() < mine.get(2).path("index").asLong(), "indexes rise");
        assertEquals(cube.worker().workerId(), mine.get(2).path("payload").path("workerId").asText());

        long since = mine.get(0).path("index").asLong();
        List<String> resumed = lines(cube.url() + "/events?since=" + since, new AtomicBoolean());
        await().atMost(WAIT).until(() -> types(resumed, id).contains("task-running"));
        assertEquals(List.of("task-scheduled", "task-running"),
                types(resumed, id).stream().filter(t -> !t.equals("task-unplaced")).toList());
        resumed.stream().filter(l -> !l.isBlank()).forEach(l -> assertTrue(json(l).path("index").asLong() > since, l));

        List<String> all = lines(cube.url() + "/events?since=0", new AtomicBoolean());
        await().atMost(WAIT).until(() -> all.stream().anyMatch(l -> l.contains("\"worker-registered\"")));
        await().atMost(WAIT).until(() -> all.stream().anyMatch(l -> l.contains("\"leader-elected\"")));
    }

    @Test
    void managerAndWorkerMetricsCoverSchedulingHeartbeatsAndContainers() throws Exception {
        String id = submit("measured", "[\"sleep\", \"300\"]", "32m");
        await().atMost(WAIT).until(() -> "running".equals(http.task("measured").path("state").asText()));
        try (UsageSampler sampler = new UsageSampler(cube.runtime(), cube.worker().workerId(), cube.worker()::taskName,
                cube.workerMetrics()).start(Duration.ofSeconds(1))) {
            String agentMetrics = "http://127.0.0.1:" + cube.agentServer().port() + "/metrics";
            await().atMost(WAIT).until(() -> get(agentMetrics).contains("cube_task_memory_bytes{name=\"measured\",task=\"" + id + "\"}"));
            String worker = get(agentMetrics);
            assertFalse(worker.contains("Generated from Dropwizard"), "every HELP line of the worker is a description");
            assertFamily(worker, "cube_task_memory_bytes", "gauge", v -> v > 0 && v < 32 << 20);
            assertFamily(worker, "cube_task_memory_limit_bytes", "gauge", v -> v == 32 << 20);
            assertFamily(worker, "cube_task_cpu_cores", "gauge", v -> v >= 0 && v < 4);
            assertFamily(worker, "cube_task_cpu_seconds_total", "counter", v -> v >= 0);
            assertFamily(worker, "cube_worker_containers_sampled", "gauge", v -> v == 1);
            assertFamily(worker, "cube_worker_memory_used_bytes", "gauge", v -> v > 0);
            assertFamily(worker, "cube_worker_cpu_cores_used", "gauge", v -> v >= 0);
            assertFamily(worker, "cube_worker_registrations_total", "counter", v -> v >= 1);
            assertFamily(worker, "cube_worker_heartbeats_failed_total", "counter", v -> v >= 0);
            await().atMost(WAIT).until(() -> value(get(agentMetrics), "cube_worker_heartbeats_total") >= 1);
            assertFamily(worker, "cube_worker_usage_sample_passes_count", "summary", v -> v >= 1);
            assertFamily(worker, "cube_jvm_memory_heap_used", "gauge", v -> v > 0);
            assertTrue(Json.MAPPER.readTree(get(agentMetrics + "?format=json")).path("gauges")
                    .has("cube.task." + id + ".memory.bytes"));
        }
        await().atMost(WAIT).until(() -> value(get(cube.url() + "/metrics"), "cube_workers_heartbeats_total") >= 1);
        String manager = get(cube.url() + "/metrics");
        assertFamily(manager, "cube_scheduler_placements_total", "counter", v -> v >= 1);
        assertFamily(manager, "cube_tasks_placed_total", "counter", v -> v >= 1);
        assertFalse(manager.contains("Generated from Dropwizard"), "every HELP line of the manager is a description");
        assertFamily(manager, "cube_tasks_latency_submitted_to_scheduled_count", "summary", v -> v >= 1);
        assertFamily(manager, "cube_tasks_latency_scheduled_to_running_count", "summary", v -> v >= 1);
        assertFamily(manager, "cube_tasks_latency_submitted_to_running_count", "summary", v -> v >= 1);
        assertFamily(manager, "cube_tasks_state_running", "gauge", v -> v == 1);
        assertFamily(manager, "cube_workers_state_ready", "gauge", v -> v == 1);
        double p50 = value(manager, "cube_tasks_latency_submitted_to_running{quantile=\"0.5\"}");
        assertTrue(p50 > 0 && p50 < 30, "submitted to running took " + p50 + " s");
    }

    private String get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode json(String line) {
        try {
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException(line, e);
        }
    }

    private static List<JsonNode> events(List<String> lines, String key) {
        return List.copyOf(lines).stream().filter(l -> !l.isBlank()).map(OperatorSurfaceTest::json)
                .filter(e -> e.path("key").asText().equals(key)).toList();
    }

    private static List<String> types(List<String> lines, String key) {
        return events(lines, key).stream().map(e -> e.path("type").asText()).toList();
    }

    /** The first value of {@code sample} (a name, or a name with labels up to the closing brace). */
    private static double value(String text, String sample) {
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ") || (!sample.contains("{") && line.startsWith(sample + "{"))) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** HELP and TYPE lines for the family of {@code sample}, and a plausible first value. */
    private static void assertFamily(String text, String sample, String type, DoublePredicate plausible) {
        String family = type.equals("summary") ? sample.replaceAll("_(count|sum)$", "") : sample;
        assertTrue(text.contains("# HELP " + family + " "), "no HELP for " + family);
        assertTrue(text.contains("# TYPE " + family + " " + type + "\n"), "no TYPE " + type + " for " + family);
        double v = value(text, sample);
        if (Double.isNaN(v)) fail("no sample " + sample);
        assertTrue(plausible.test(v), sample + " = " + v);
    }
}
