package dev.cube.manager.liveness;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.model.WorkerState;
import dev.cube.store.Json;
import dev.cube.testing.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real manager (one-peer Ratis quorum, Netty gateway) and workers played by raw HTTP connections:
 * a worker whose heartbeat connection its side closes is declared down after the grace, long before
 * its heartbeat deadline (60 s here), and its task is placed again with the reason; a connection the
 * heartbeats have left, one the gateway closed itself, or one of a worker that said it leaves, is no
 * sign of death, nor is a close followed by a heartbeat on a new connection within the grace.
 */
class HeartbeatConnectionLossTest {
    private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** Longer than the grace: a worker still ready after it was not declared down for the connection. */
    private static final Duration STAYS_UP = GRACE.multipliedBy(2);

    @TempDir
    static Path dir;
    static ManagerNode manager;
    static HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startManager() throws Exception {
        int[] ports = LoopbackPorts.distinct(2);
        int api = ports[0];
        int raft = ports[1];
        ManagerConfig d = ManagerConfig.defaults();
        manager = new ManagerNode(new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", api),
                new ManagerConfig.Endpoint("127.0.0.1", raft),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + raft, "127.0.0.1:" + api)),
                new ManagerConfig.Storage(dir.toString()), new ManagerConfig.Scheduler(Duration.ofMillis(300)),
                new ManagerConfig.Workers(HEARTBEAT_TIMEOUT, GRACE), d.snapshots())).start();
        assertTrue(manager.raft().awaitLeader(Duration.ofSeconds(20)));
    }

    @AfterAll
    static void stopManager() throws Exception {
        manager.close();
    }

    @Test
    void aWorkerWhoseHeartbeatConnectionDropsIsDeclaredDownAndItsTaskPlacedAgain() throws Exception {
        String session = register("w-drop");
        post("/tasks", "{\"name\":\"on-drop\",\"image\":\"cube-demo:latest\",\"cpus\":0.1,\"memory\":\"16m\","
                + "\"constraints\":[\"node==w-drop\"]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> "w-drop".equals(get("/tasks/on-drop").path("workerId").asText()));
        try (RawHttpConnection connection = new RawHttpConnection(manager.apiPort())) {
            assertEquals(200, connection.post("/workers/w-drop/heartbeat", "{\"session\":\"" + session + "\"}"));
        }
        long closed = System.nanoTime();
        await().atMost(Duration.ofSeconds(10)).until(() -> state("w-drop") == WorkerState.DOWN);
        assertTrue(System.nanoTime() - closed < HEARTBEAT_TIMEOUT.toNanos() / 2, "declared down by the deadline instead");
        JsonNode task = get("/tasks/on-drop");
        assertEquals(2, task.path("attempt").asInt());
        JsonNode lost = task.path("history").get(0);
        assertEquals("lost", lost.path("state").asText());
        assertTrue(lost.path("error").asText().contains("connection lost"), lost.toString());
    }

    @Test
    void aConnectionTheHeartbeatsHaveLeftIsNoSignOfDeath() throws Exception {
        String session = register("w-moved");
        String beat = "{\"session\":\"" + session + "\"}";
        RawHttpConnection first = new RawHttpConnection(manager.apiPort());
        assertEquals(200, first.post("/workers/w-moved/heartbeat", beat));
        try (RawHttpConnection second = new RawHttpConnection(manager.apiPort())) {
            assertEquals(200, second.post("/workers/w-moved/heartbeat", beat));
            first.close();   // as a client's pool closes an idle connection
            await().during(STAYS_UP).atMost(STAYS_UP.plusSeconds(5)).until(() -> state("w-moved") == WorkerState.READY);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> state("w-moved") == WorkerState.DOWN);
    }

    @Test
    void aConnectionTheGatewayClosedItselfIsNoSignOfDeath() throws Exception {
        String session = register("w-refused");
        try (RawHttpConnection connection = new RawHttpConnection(manager.apiPort())) {
            assertEquals(200, connection.post("/workers/w-refused/heartbeat", "{\"session\":\"" + session + "\"}"));
            // A request line over the limit: answered 414 with "Connection: close", and closed by the gateway.
            assertEquals(414, connection.sendRaw("GET /" + "x".repeat(10_000) + " HTTP/1.1\r\nHost: h\r\n\r\n"));
            assertTrue(connection.closedByServer());
        }
        await().during(STAYS_UP).atMost(STAYS_UP.plusSeconds(5)).until(() -> state("w-refused") == WorkerState.READY);
    }

    @Test
    void aWorkerThatSaysItLeavesIsLeftToItsHeartbeatDeadline() throws Exception {
        String session = register("w-leaving");
        try (RawHttpConnection connection = new RawHttpConnection(manager.apiPort())) {
            assertEquals(200, connection.post("/workers/w-leaving/heartbeat", "{\"session\":\"" + session + "\"}"));
            assertEquals(200, connection.post("/workers/w-leaving/heartbeat",
                    "{\"session\":\"" + session + "\",\"leaving\":true}"));
        }
        await().during(STAYS_UP).atMost(STAYS_UP.plusSeconds(5)).until(() -> state("w-leaving") == WorkerState.READY);
    }

    @Test
    void aHeartbeatOnANewConnectionWithinTheGraceKeepsTheWorkerUp() throws Exception {
        String session = register("w-reconnects");
        String beat = "{\"session\":\"" + session + "\"}";
        try (RawHttpConnection first = new RawHttpConnection(manager.apiPort())) {
            assertEquals(200, first.post("/workers/w-reconnects/heartbeat", beat));
        }
        try (RawHttpConnection second = new RawHttpConnection(manager.apiPort())) {
            assertEquals(200, second.post("/workers/w-reconnects/heartbeat", beat));
            await().during(STAYS_UP).atMost(STAYS_UP.plusSeconds(5))
                    .until(() -> state("w-reconnects") == WorkerState.READY);
        }
    }

    @Test
    void aMalformedLeavingFlagIsRefusedNamingTheField() throws Exception {
        String session = register("w-malformed");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url("/workers/w-malformed/heartbeat"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"session\":\"" + session + "\",\"leaving\":\"yes\"}"))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, r.statusCode());
        assertEquals("leaving", Json.MAPPER.readTree(r.body()).path("field").asText());
    }

    /** Registers a worker labelled node=ID; its session. */
    private static String register(String id) throws Exception {
        JsonNode worker = post("/workers/register", "{\"id\":\"" + id + "\",\"name\":\"" + id + "\",\"host\":\"127.0.0.1\","
                + "\"cpus\":2,\"memory\":1073741824,\"labels\":{\"node\":\"" + id + "\"}}");
        return worker.path("session").asText();
    }

    private static WorkerState state(String id) {
        return manager.raft().stateMachine().store().worker(id).state();
    }

    private static JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url(path)).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() / 100 == 2, path + " answered " + r.statusCode() + ": " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private static JsonNode get(String path) throws Exception {
        return Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(url(path)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + manager.apiPort() + path);
    }
}
