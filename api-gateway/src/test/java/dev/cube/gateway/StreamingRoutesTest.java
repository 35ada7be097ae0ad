package dev.cube.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.cube.model.DesiredState;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Command;
import dev.cube.security.AgentSignature;
import dev.cube.store.Json;
import dev.cube.store.TaskStore;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The streamed routes over real HTTP: {@code GET /events} fed by a real {@link TaskStore} and
 * journal, and {@code GET /tasks/{ref}/logs} proxied from a stand-in worker agent (a JDK HTTP server
 * playing the agent's {@code /containers/logs}; the real agent is tested against dockerd in worker-node).
 */
class StreamingRoutesTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private final FakeClusterApi api = new FakeClusterApi();
    private final TaskStore store = new TaskStore();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private GatewayServer gateway;
    private HttpServer agent;
    private final CountDownLatch releaseFollow = new CountDownLatch(1);
    /** The session the fake agent's worker holds: what a signature must be keyed with. */
    private volatile String agentSession = "s-1";
    /** When set, the agent puts it in the store before it refuses a signature (a re-registration). */
    private volatile Worker renewedOnRefusal;
    private final AtomicInteger agentCalls = new AtomicInteger();
    private long index;

    @BeforeEach
    void start() throws Exception {
        store.observe(api.journal);
        gateway = new GatewayServer("127.0.0.1", 0, api, new MetricRegistry(), Duration.ofSeconds(2)).start();
        agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/containers/logs", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            agentCalls.incrementAndGet();
            if (!AgentSignature.verify(agentSession, "w-1", exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders().getFirst(AgentSignature.HEADER), Instant.now().getEpochSecond())) {
                Worker renewed = renewedOnRefusal;
                if (renewed != null) api.workers.put(renewed.id(), renewed);
                exchange.sendResponseHeaders(401, -1);   // as the real agent: managers only
                exchange.close();
                return;
            }
            if (query.contains("task=gone")) {
                byte[] body = "{\"error\":\"no container of task gone on this worker\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(("query " + query + "\nline one\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (query.contains("follow=true")) {
                    releaseFollow.await(10, TimeUnit.SECONDS);
                    out.write("line written later\n".getBytes(StandardCharsets.UTF_8));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        agent.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        agent.start();
    }

    @AfterEach
    void stop() {
        releaseFollow.countDown();
        gateway.close();
        agent.stop(0);
        client.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private void apply(Command command) {
        store.apply(++index, command);
    }

    private static TaskSpec spec(String name) {
        return new TaskSpec(name, "cube-demo:latest", List.of("sleep", "1"), Map.of(), 0.1, 1 << 20, List.of(), Map.of());
    }

    /** Reads lines of a stream on another thread into a list. */
    private List<String> readLines(HttpResponse<InputStream> response) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread.ofVirtual().start(() -> {
            try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) lines.add(line);
            } catch (java.io.IOException ignored) {
                // the test closed the stream
            }
        });
        return lines;
    }

    private HttpResponse<InputStream> open(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private static JsonNode json(String line) throws Exception {
        return Json.MAPPER.readTree(line);
    }

    @Test
    void eventsStreamAsTheyHappenAndResumeAfterAnIndex() throws Exception {
        HttpResponse<InputStream> live = open("/events");
        assertEquals(200, live.statusCode());
        assertEquals("application/x-ndjson", live.headers().firstValue("content-type").orElse(""));
        List<String> lines = readLines(live);

        apply(new Command.RegisterWorker("w-1", "node-1", "10.0.0.1", 2, 1 << 30, Map.of(), "s-1", T0));
        apply(new Command.SubmitTask("t-1", spec("web"), T0));
        apply(new Command.StopTask("web", T0));

        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() >= 3);
        assertEquals("worker-registered", json(lines.get(0)).path("type").asText());
        JsonNode submitted = json(lines.get(1));
        assertEquals("task-submitted", submitted.path("type").asText());
        assertEquals("task", submitted.path("topic").asText());
        assertEquals(2, submitted.path("index").asLong());
        assertEquals("t-1", submitted.path("key").asText());
        assertEquals("task-stopped", json(lines.get(2)).path("type").asText());
        live.body().close();

        HttpResponse<InputStream> resumed = open("/events?since=1");
        List<String> again = readLines(resumed);
        await().atMost(Duration.ofSeconds(5)).until(() -> again.size() >= 2);
        assertEquals(List.of(2L, 3L), List.of(json(again.get(0)).path("index").asLong(),
                json(again.get(1)).path("index").asLong()));
        resumed.body().close();
        await().atMost(Duration.ofSeconds(5)).until(() -> api.journal.subscriberCount() == 0);
    }

    @Test
    void askingForEventsNoLongerKeptSaysSoFirst() throws Exception {
        api.journal.restored(10);   // as after a restart from a snapshot at index 10
        index = 10;
        apply(new Command.SubmitTask("t-1", spec("web"), T0));
        HttpResponse<InputStream> response = open("/events?since=0");
        List<String> lines = readLines(response);
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.size() >= 2);
        JsonNode first = json(lines.get(0));
        assertEquals("events-dropped", first.path("type").asText());
        assertEquals("manager", first.path("topic").asText());
        assertEquals(11, first.path("payload").path("oldestKept").asLong());
        assertEquals("task-submitted", json(lines.get(1)).path("type").asText());
        response.body().close();
    }

    @Test
    void badSinceIsA400() throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/events?since=-3")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("since", json(r.body()).path("field").asText());
    }

    private void placedTask(String id, String name, String agentUrl) {
        api.workers.put("w-1", new Worker("w-1", "node-1", "127.0.0.1", 2, 1 << 30, Map.of(), WorkerState.READY,
                "s-1", T0, T0, null, agentUrl));
        api.tasks.put(id, new Task(id, name, spec(name), DesiredState.RUNNING, TaskState.RUNNING, "w-1", "node-1",
                "c-1", null, null, null, T0, T0, T0, null, T0, 3));
    }

    @Test
    void logsAreProxiedFromTheWorkersAgent() throws Exception {
        placedTask("t-1", "web", "http://127.0.0.1:" + agent.getAddress().getPort());
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(uri("/tasks/web/logs?tail=5")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, plain.statusCode());
        assertEquals("text/plain; charset=utf-8", plain.headers().firstValue("content-type").orElse(""));
        assertTrue(plain.body().contains("task=t-1") && plain.body().contains("tail=5")
                && plain.body().contains("follow=false"), plain.body());
        assertTrue(plain.body().endsWith("line one\n"), plain.body());

        HttpResponse<InputStream> followed = open("/tasks/t-1/logs?follow=true");
        List<String> lines = readLines(followed);
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains("line one"));
        releaseFollow.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> lines.contains("line written later"));

        // the connection serves further requests after a streamed answer
        HttpResponse<String> after = client.send(HttpRequest.newBuilder(uri("/tasks/web")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode());
    }

    @Test
    void logsOfUnknownUnplacedOrAgentlessTasksAreClearErrors() throws Exception {
        HttpResponse<String> unknown = client.send(HttpRequest.newBuilder(uri("/tasks/nope/logs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, unknown.statusCode());

        api.tasks.put("t-2", Task.submitted("t-2", spec("queued"), T0, 1));
        HttpResponse<String> pending = client.send(HttpRequest.newBuilder(uri("/tasks/queued/logs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(409, pending.statusCode());
        assertTrue(json(pending.body()).path("error").asText().contains("has not been placed"), pending.body());

        placedTask("gone", "gone", "http://127.0.0.1:" + agent.getAddress().getPort());
        HttpResponse<String> gone = client.send(HttpRequest.newBuilder(uri("/tasks/gone/logs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, gone.statusCode());
        assertTrue(gone.body().contains("no container"), gone.body());

        placedTask("t-3", "old", null);
        HttpResponse<String> agentless = client.send(HttpRequest.newBuilder(uri("/tasks/old/logs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(409, agentless.statusCode());

        HttpResponse<String> badTail = client.send(HttpRequest.newBuilder(uri("/tasks/web/logs?tail=x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, badTail.statusCode());
    }

    @Test
    void anAgentWithANewerSessionIsAskedAgainWithItOnce() throws Exception {
        placedTask("t-5", "renewed", "http://127.0.0.1:" + agent.getAddress().getPort());
        Worker read = api.workers.get("w-1");
        // the worker registers again just as the gateway's request reaches its agent
        agentSession = "s-2";
        renewedOnRefusal = new Worker(read.id(), read.name(), read.host(), read.cpus(), read.memoryBytes(),
                read.labels(), read.state(), "s-2", read.registeredAt(), read.updatedAt(), read.availability(),
                read.agentUrl());
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/tasks/renewed/logs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("line one"), r.body());
        assertEquals(2, agentCalls.get(), "refused with the old session, served with the new one");

        agentSession = "s-9";   // a session the store never shows: one more try, then a 502
        renewedOnRefusal = null;
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(uri("/tasks/renewed/logs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(502, refused.statusCode());
        assertTrue(json(refused.body()).path("error").asText().contains("401"), refused.body());
        assertEquals(4, agentCalls.get(), "asked twice, not more");
    }

    @Test
    void logsFromAnAgentThatDoesNotAnswerAreA502() throws Exception {
        int closedPort;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        placedTask("t-4", "far", "http://127.0.0.1:" + closedPort);
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/tasks/far/logs")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(502, r.statusCode());
        assertTrue(json(r.body()).path("error").asText().contains("cannot be reached"), r.body());
    }
}
