package dev.cube.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.worker.WorkerAgent;
import dev.cube.worker.WorkerSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that stops heartbeating is declared down; its task runs again on the other worker as
 * attempt 2, and when the first worker comes back it stops the container it still had.
 * Two real agents share this machine's dockerd, as several workers on one host may.
 */
class WorkerLossTest {
    private static final Duration WAIT = Duration.ofSeconds(40);

    @TempDir
    Path dir;
    LocalCube cube;
    WorkerAgent second;

    @AfterEach
    void stop() throws Exception {
        if (cube != null) {
            cube.closeAgent(second);
            cube.close();
        }
    }

    @Test
    void aLostWorkersTaskRunsElsewhereAndTheOldContainerIsStoppedOnReturn() throws Exception {
        cube = new LocalCube(dir, "loss-a-" + Long.toHexString(System.nanoTime()), Duration.ofSeconds(3))
                .startManager().startWorker();
        Http http = cube.http();
        second = new WorkerAgent(new WorkerSettings(List.of(URI.create(cube.url())),
                "loss-b-" + Long.toHexString(System.nanoTime()), dir.resolve("worker-b"), 0, 0, Map.of(),
                Duration.ofMillis(500), Duration.ofSeconds(5)), cube.runtime());
        second.start();
        await().atMost(WAIT).until(() -> http.get("/workers").body().size() == 2);

        assertEquals(201, http.post("/tasks", """
                {"name": "survivor", "image": "cube-demo:latest", "command": ["sleep", "300"], "cpus": 0.1, "memory": "32m"}
                """).status());
        await().atMost(WAIT).until(() -> "running".equals(http.task("survivor").path("state").asText()));
        JsonNode first = http.task("survivor");
        String firstWorker = first.path("workerId").asText();
        String firstContainer = first.path("containerId").asText();
        boolean onA = firstWorker.equals(cube.worker().workerId());

        // The agent that runs it dies; its container keeps running, as after a crash of the agent.
        if (onA) cube.stopWorker(); else second.close();

        await().atMost(WAIT).until(() -> {
            JsonNode t = http.task("survivor");
            return "running".equals(t.path("state").asText()) && !firstWorker.equals(t.path("workerId").asText());
        });
        JsonNode moved = http.task("survivor");
        assertEquals(2, moved.path("attempt").asInt());
        assertEquals("lost", moved.path("history").get(0).path("state").asText());
        assertEquals(firstWorker, moved.path("history").get(0).path("workerId").asText());
        assertNotEquals(firstContainer, moved.path("containerId").asText());

        // The lost worker returns: it registers again and stops the container of the moved task.
        if (onA) {
            cube.startWorker();
        } else {
            second = new WorkerAgent(new WorkerSettings(List.of(URI.create(cube.url())),
                    "loss-b-again", dir.resolve("worker-b"), 0, 0, Map.of(),
                    Duration.ofMillis(500), Duration.ofSeconds(5)), cube.runtime());
            second.start();
        }
        await().atMost(WAIT).until(() -> cube.runtime().list(firstWorker).stream().noneMatch(c -> c.running()));
        assertEquals("running", http.task("survivor").path("state").asText());
    }
}
