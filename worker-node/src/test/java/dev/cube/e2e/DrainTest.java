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
 * Drain with real agents and dockerd: the drained worker's task runs again on the other worker as
 * a new attempt and the drained worker stops its container; once activated it takes tasks again.
 */
class DrainTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    /** Exits at once on SIGTERM, so a stop does not wait for Docker's kill timeout. */
    private static final String COMMAND = "[\"sh\", \"-c\", \"trap 'exit 0' TERM; sleep 300 & wait\"]";

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
    void drainMovesTheTaskAndStopsItsContainerAndActivateTakesTasksAgain() throws Exception {
        cube = new LocalCube(dir, "drain-a-" + Long.toHexString(System.nanoTime())).startManager().startWorker();
        Http http = cube.http();
        second = new WorkerAgent(new WorkerSettings(List.of(URI.create(cube.url())),
                "drain-b-" + Long.toHexString(System.nanoTime()), dir.resolve("worker-b"), 0, 0, Map.of(),
                Duration.ofMillis(500), Duration.ofSeconds(5)), cube.runtime());
        second.start();
        await().atMost(WAIT).until(() -> http.get("/workers").body().size() == 2);

        assertEquals(201, http.post("/tasks", """
                {"name": "movable", "image": "cube-demo:latest", "command": %s, "cpus": 0.1, "memory": "32m"}
                """.formatted(COMMAND)).status());
        await().atMost(WAIT).until(() -> "running".equals(http.task("movable").path("state").asText()));
        JsonNode first = http.task("movable");
        String drained = first.path("workerId").asText();
        String other = drained.equals(cube.worker().workerId()) ? second.workerId() : cube.worker().workerId();

        Http.Reply drain = http.post("/workers/" + drained + "/drain", "");
        assertEquals(200, drain.status(), () -> String.valueOf(drain.body()));
        assertEquals("drain", drain.body().path("availability").asText());
        assertEquals(drained, drain.body().path("id").asText());

        await().atMost(WAIT).until(() -> {
            JsonNode t = http.task("movable");
            return "running".equals(t.path("state").asText()) && other.equals(t.path("workerId").asText());
        });
        JsonNode moved = http.task("movable");
        assertEquals(2, moved.path("attempt").asInt());
        assertEquals(drained, moved.path("history").get(0).path("workerId").asText());
        assertEquals("stopped", moved.path("history").get(0).path("state").asText());
        assertEquals(first.path("id").asText(), moved.path("id").asText());
        assertNotEquals(first.path("containerId").asText(), moved.path("containerId").asText());
        await().atMost(WAIT).until(() -> cube.runtime().list(drained).stream().noneMatch(c -> c.running()));

        // Activated again, it takes tasks: drain the other one, and the task comes back to it.
        Http.Reply activate = http.post("/workers/" + drained + "/activate", "");
        assertEquals(200, activate.status());
        assertEquals("active", activate.body().path("availability").asText());
        assertEquals(200, http.post("/workers/" + other + "/drain", "").status());
        await().atMost(WAIT).until(() -> {
            JsonNode t = http.task("movable");
            return "running".equals(t.path("state").asText()) && drained.equals(t.path("workerId").asText());
        });
        assertEquals(3, http.task("movable").path("attempt").asInt());

        assertEquals(404, http.post("/workers/no-such-worker/drain", "").status());
    }
}
