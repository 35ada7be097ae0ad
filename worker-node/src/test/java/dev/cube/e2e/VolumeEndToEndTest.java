package dev.cube.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.worker.WorkerAgent;
import dev.cube.worker.WorkerSettings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Volumes on shared storage with real containers: two worker agents given the same storage folder
 * stand in for two machines mounting the same NFS export.
 */
class VolumeEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

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

    private static String task(String name, String script) {
        return """
                {"name": "%s", "image": "cube-demo:latest", "command": ["sh", "-c", "%s"], "cpus": 0.1, "memory": "32m",
                 "volumes": [{"source": "web/data", "target": "/data"}]}
                """.formatted(name, script);
    }

    @Test
    void whatATaskWritesIsReadByATaskOnAnotherWorker() throws Exception {
        Path storage = Files.createDirectories(dir.resolve("storage"));
        cube = new LocalCube(dir, "vol-a-" + Long.toHexString(System.nanoTime()), Duration.ofSeconds(2))
                .withStorage(storage).startManager().startWorker();
        Http http = cube.http();
        String first = cube.worker().workerId();
        await().atMost(WAIT).until(() -> http.get("/workers").body().size() == 1);

        assertEquals(201, http.post("/tasks", task("writer", "echo hello > /data/greeting")).status());
        await().atMost(WAIT).until(() -> "completed".equals(http.task("writer").path("state").asText()));
        assertEquals(first, http.task("writer").path("workerId").asText());
        assertEquals("hello\n", Files.readString(storage.resolve("web/data/greeting")));

        // The first worker goes away; another one, on the same shared storage, takes the reader.
        cube.stopWorker();
        await().atMost(WAIT).until(() -> "down".equals(http.get("/workers/" + first).body().path("state").asText()));
        second = new WorkerAgent(new WorkerSettings(List.of(URI.create(cube.url())),
                "vol-b-" + Long.toHexString(System.nanoTime()), dir.resolve("worker-b"), 0, 0, Map.of(),
                Duration.ofMillis(500), Duration.ofSeconds(5), storage), cube.runtime());
        second.start();

        assertEquals(201, http.post("/tasks", task("reader", "test \\\"$(cat /data/greeting)\\\" = hello")).status());
        await().atMost(WAIT).until(() -> http.task("reader").path("state").asText().matches("completed|failed"));
        JsonNode reader = http.task("reader");
        assertEquals("completed", reader.path("state").asText(), reader.toString());
        assertEquals(second.workerId(), reader.path("workerId").asText());
        assertNotEquals(first, reader.path("workerId").asText());
    }

    @Test
    void aWorkerWithoutSharedStorageFailsAVolumeTaskWithASentence() throws Exception {
        cube = new LocalCube(dir, "vol-none-" + Long.toHexString(System.nanoTime())).startManager().startWorker();
        Http http = cube.http();
        await().atMost(WAIT).until(() -> http.get("/workers").body().size() == 1);

        assertEquals(201, http.post("/tasks", task("homeless", "true")).status());
        await().atMost(WAIT).until(() -> "failed".equals(http.task("homeless").path("state").asText()));
        String error = http.task("homeless").path("error").asText();
        assertTrue(error.contains("has no shared storage") && error.contains("--storage-dir"), error);
    }
}
