package dev.cube.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Restart policies with real containers: a real manager, a worker agent and the machine's dockerd. */
class RestartEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    LocalCube cube;
    Http http;

    @BeforeEach
    void start() throws Exception {
        cube = new LocalCube(dir, "restart-" + Long.toHexString(System.nanoTime())).startManager().startWorker();
        http = cube.http();
        await().atMost(WAIT).until(() -> http.get("/workers").body().size() == 1);
    }

    @AfterEach
    void stop() throws Exception {
        cube.close();
    }

    private void submit(String name, String restart) {
        Http.Reply reply = http.post("/tasks", """
                {"name": "%s", "image": "cube-demo:latest", "command": ["sh", "-c", "exit 3"],
                 "cpus": 0.1, "memory": "32m", "restart": %s}
                """.formatted(name, restart));
        assertEquals(201, reply.status(), () -> "POST /tasks answered " + reply.body());
    }

    @Test
    void onFailureRestartsUntilMaxAttemptsAndKeepsEachExitCode() {
        submit("flaky", "{\"policy\": \"on-failure\", \"maxAttempts\": 3, \"delay\": \"100ms\"}");
        await().atMost(WAIT).until(() -> "failed".equals(http.task("flaky").path("state").asText()));

        JsonNode task = http.task("flaky");
        assertEquals(3, task.path("attempt").asInt(), task.toString());
        assertEquals(3, task.path("exitCode").asInt());
        List<Integer> codes = new ArrayList<>();
        task.path("history").forEach(run -> {
            assertEquals("failed", run.path("state").asText());
            codes.add(run.path("exitCode").asInt());
        });
        assertEquals(List.of(3, 3), codes, task.toString());
    }

    @Test
    void aNeverPolicyTaskIsNotRestarted() {
        submit("once", "{\"policy\": \"never\"}");
        await().atMost(WAIT).until(() -> "failed".equals(http.task("once").path("state").asText()));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).until(() -> {
            JsonNode t = http.task("once");
            return "failed".equals(t.path("state").asText()) && t.path("attempt").asInt() == 1;
        });
        assertTrue(http.task("once").path("history").isEmpty());
    }

    @Test
    void aWaitingRestartSaysWhyAndStoppingCancelsIt() {
        submit("later", "{\"policy\": \"on-failure\", \"maxAttempts\": 5, \"delay\": \"30s\"}");
        await().atMost(WAIT).until(() -> http.task("later").path("attempt").asInt() == 2);

        JsonNode waiting = http.task("later");
        assertEquals("pending", waiting.path("state").asText());
        assertTrue(waiting.path("reason").asText().matches(
                "restarting in \\d+s after exit code 3 \\(attempt 2 of 5\\)"), waiting.toString());

        assertEquals(200, http.delete("/tasks/later").status());
        JsonNode stopped = http.task("later");
        assertEquals("stopped", stopped.path("state").asText());
        assertEquals(2, stopped.path("attempt").asInt());
    }
}
