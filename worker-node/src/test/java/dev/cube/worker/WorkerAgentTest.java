package dev.cube.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cube.model.DesiredState;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against a fake manager gateway (JDK HTTP server) and a fake runtime; the first URL is dead. */
class WorkerAgentTest {
    /** Bounds each wait; generous because class loading alone can take seconds on a loaded machine. */
    private static final Duration BOUND = Duration.ofSeconds(30);
    @TempDir
    Path dir;

    final FakeContainerRuntime runtime = new FakeContainerRuntime();
    final Map<String, Task> tasks = new ConcurrentHashMap<>();
    final List<JsonNode> reports = new CopyOnWriteArrayList<>();
    final AtomicInteger registrations = new AtomicInteger();
    final AtomicInteger version = new AtomicInteger(1);
    volatile String session;
    volatile boolean forgetWorker;
    HttpServer server;
    WorkerAgent agent;

    @AfterEach
    void stop() {
        if (agent != null) agent.close();
        if (server != null) server.stop(0);
    }

    void startManager() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/workers", this::handle);
        server.start();
    }

    void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (path.equals("/workers/register")) {
            JsonNode r = Json.MAPPER.readTree(body);
            session = "s" + registrations.incrementAndGet();
            forgetWorker = false;
            Worker w = new Worker(r.get("id").asText(), r.get("name").asText(), r.get("host").asText(),
                    r.get("cpus").asDouble(), r.get("memory").asLong(), Map.of(), WorkerState.READY, session,
                    Instant.now(), Instant.now());
            reply(ex, 200, Json.bytes(w));
        } else if (path.endsWith("/heartbeat")) {
            boolean known = !forgetWorker && session.equals(Json.MAPPER.readTree(body).get("session").asText());
            reply(ex, known ? 200 : 404, "{}".getBytes());
        } else if (path.endsWith("/assignments")) {
            reply(ex, 200, Json.bytes(Map.of("version", version.get(), "tasks", List.copyOf(tasks.values()))));
        } else if (path.endsWith("/status")) {
            JsonNode r = Json.MAPPER.readTree(body);
            if (!session.equals(r.get("session").asText())) {
                reply(ex, 409, "{\"error\":\"stale session\"}".getBytes());
                return;
            }
            reports.add(r);
            String taskId = path.split("/")[4];
            TaskState state = TaskState.parse(r.get("state").asText());
            tasks.computeIfPresent(taskId, (k, t) -> state.isTerminal() ? null
                    : t.observed(state, r.path("containerId").asText(null), null, null, Instant.now(), version.incrementAndGet()));
            reply(ex, 200, "{}".getBytes());
        } else {
            reply(ex, 404, "{}".getBytes());
        }
    }

    static void reply(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    WorkerAgent agent() throws IOException {
        int dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = s.getLocalPort();
        }
        URI good = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new WorkerAgent(new WorkerSettings(List.of(URI.create("http://127.0.0.1:" + dead), good), "w-test",
                dir.resolve("worker"), 2, 1L << 30, Map.of("zone", "a"), Duration.ofMillis(200),
                Duration.ofMillis(300)), runtime);
    }

    @Test
    void registersRunsItsTaskReportsAndReRegistersWhenForgotten() throws Exception {
        startManager();
        agent = agent();
        String id = agent.workerId();
        Task t = ReconcilerTest.task("t1", TaskState.SCHEDULED, DesiredState.RUNNING);
        tasks.put("t1", new Task(t.id(), t.name(), t.spec(), t.desiredState(), t.state(), id, "w-test", null, null,
                null, null, t.createdAt(), t.scheduledAt(), null, null, t.updatedAt(), 1));
        agent.start();
        assertTrue(agent.awaitRegistered(BOUND));

        await().atMost(BOUND).until(() -> tasks.get("t1").state() == TaskState.RUNNING);
        assertEquals(1, runtime.starts.size());
        String cid = runtime.list(id).getFirst().containerId();
        assertEquals(cid, reports.getFirst().get("containerId").asText());

        runtime.exit(cid, 3, null);
        await().atMost(BOUND).until(() -> !tasks.containsKey("t1"));
        JsonNode last = reports.getLast();
        assertEquals("failed", last.get("state").asText());
        assertEquals(3, last.get("exitCode").asInt());
        assertEquals("exited with code 3", last.get("error").asText());

        forgetWorker = true;
        // the fake manager counts a registration before the agent has read its reply: wait for the agent
        await().atMost(BOUND).until(() -> "s2".equals(agent.session()));
        assertEquals(2, registrations.get());
    }

    @Test
    void keepsItsIdAcrossRestarts() throws Exception {
        startManager();
        String first;
        try (WorkerAgent a = agent()) {
            first = a.workerId();
        }
        try (WorkerAgent b = agent()) {
            assertEquals(first, b.workerId());
        }
    }
}
