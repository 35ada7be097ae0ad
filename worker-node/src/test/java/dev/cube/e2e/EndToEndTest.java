package dev.cube.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.worker.runtime.ContainerRuntime.ContainerStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole flow with real parts: a one-manager Ratis quorum, the Netty gateway, a worker agent
 * and the machine's dockerd (image cube-demo:latest, built by ops/build-demo-image.sh).
 */
class EndToEndTest {
    private static final Duration START = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    LocalCube cube;
    Http http;

    @BeforeEach
    void start() throws Exception {
        cube = new LocalCube(dir, "e2e-" + Long.toHexString(System.nanoTime())).startManager().startWorker();
        http = cube.http();
        await().atMost(START).until(() -> http.get("/workers").body().size() == 1);
    }

    @AfterEach
    void stop() throws Exception {
        cube.close();
    }

    private JsonNode submit(String name, String command) {
        Http.Reply reply = http.post("/tasks", """
                {"name": "%s", "image": "cube-demo:latest", "command": %s, "cpus": 0.1, "memory": "32m"}
                """.formatted(name, command));
        assertEquals(201, reply.status(), () -> "POST /tasks answered " + reply.body());
        return reply.body();
    }

    private JsonNode awaitState(String name, String state) {
        await().atMost(START).until(() -> state.equals(http.task(name).path("state").asText()));
        return http.task(name);
    }

    private List<ContainerStatus> containers() throws Exception {
        return cube.runtime().list(cube.worker().workerId());
    }

    @Test
    void aTaskRunsAsAContainerAndStopsOnDelete() throws Exception {
        JsonNode submitted = submit("web", "[\"sleep\", \"300\"]");
        assertEquals("pending", submitted.path("state").asText());
        assertNotNull(submitted.path("createdAt").asText(null));

        JsonNode running = awaitState("web", "running");
        String containerId = running.path("containerId").asText();
        assertEquals(cube.worker().workerId(), running.path("workerId").asText());
        assertFalse(running.path("workerName").asText().isEmpty());
        assertTrue(containers().stream().anyMatch(c -> c.containerId().equals(containerId) && c.running()));

        assertEquals(200, http.delete("/tasks/web").status());
        JsonNode stopped = awaitState("web", "stopped");
        assertNotNull(stopped.path("finishedAt").asText(null));
        await().atMost(START).until(() -> containers().stream().noneMatch(c -> c.containerId().equals(containerId)));
    }

    @Test
    void exitZeroCompletesAndExitThreeFailsWithItsCode() {
        submit("ok", "[\"true\"]");
        submit("bad", "[\"sh\", \"-c\", \"exit 3\"]");
        JsonNode ok = awaitState("ok", "completed");
        assertEquals(0, ok.path("exitCode").asInt());
        JsonNode bad = awaitState("bad", "failed");
        assertEquals(3, bad.path("exitCode").asInt());
        assertTrue(bad.path("error").asText().contains("3"), bad.toString());
    }

    @Test
    void anUnpullableImageFailsWithItsName() {
        Http.Reply reply = http.post("/tasks", """
                {"name": "nginx", "image": "nginx:latest", "memory": "32m"}
                """);
        assertEquals(201, reply.status());
        JsonNode failed = awaitState("nginx", "failed");
        assertTrue(failed.path("error").asText().contains("nginx:latest"), failed.toString());
    }

    @Test
    void aTaskNoWorkerFitsStaysPendingAndSaysWhy() {
        Http.Reply reply = http.post("/tasks", """
                {"name": "huge", "image": "cube-demo:latest", "memory": "1000g"}
                """);
        assertEquals(201, reply.status());
        await().atMost(START).until(() -> http.task("huge").path("reason").asText().contains("insufficient memory"));
        JsonNode huge = http.task("huge");
        assertEquals("pending", huge.path("state").asText());
        assertEquals("0/1 workers fit: 1 insufficient memory", huge.path("reason").asText());
    }

    @Test
    void aManagerRestartKeepsEveryTask() throws Exception {
        submit("keep", "[\"sleep\", \"300\"]");
        submit("done", "[\"true\"]");
        String containerId = awaitState("keep", "running").path("containerId").asText();
        awaitState("done", "completed");

        cube.stopManager();
        cube.startManager();

        await().atMost(START).until(() -> http.get("/health").status() == 200
                && "ok".equals(http.get("/health").body().path("status").asText()));
        assertEquals("completed", http.task("done").path("state").asText());
        JsonNode keep = http.task("keep");
        assertEquals("running", keep.path("state").asText());
        assertEquals(containerId, keep.path("containerId").asText());
        assertEquals(2, http.get("/tasks").body().size());
        // The worker found the new manager and goes on: a stop still reaches it.
        assertEquals(200, http.delete("/tasks/keep").status());
        awaitState("keep", "stopped");
    }

    @Test
    void aRestartedWorkerAdoptsItsContainerAndStartsNothingTwice() throws Exception {
        submit("adopt", "[\"sleep\", \"300\"]");
        String containerId = awaitState("adopt", "running").path("containerId").asText();
        String workerId = cube.worker().workerId();

        cube.stopWorker();
        cube.startWorker();

        assertEquals(workerId, cube.worker().workerId());
        await().atMost(START).until(() -> cube.worker().session() != null);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> {
            List<ContainerStatus> mine = containers().stream().filter(c -> c.running()).toList();
            return mine.size() == 1 && mine.getFirst().containerId().equals(containerId)
                    && "running".equals(http.task("adopt").path("state").asText());
        });
        assertEquals(containerId, http.task("adopt").path("containerId").asText());
    }
}
