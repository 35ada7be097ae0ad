package dev.cube.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.testing.LocalCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --wait} and {@code workers} against a real manager and a real worker on dockerd. */
class CubeCliWorkerTest {
    @TempDir
    static Path dir;
    private static LocalCluster cube;
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        cube = new LocalCluster(dir).startManager().startWorker("cli-w1", 2, 1L << 30);
        env = Map.of("CUBE_MANAGER", cube.url());
    }

    @AfterAll
    static void stop() throws Exception {
        cube.close();
    }

    @Test
    void runWaitReturnsOnceTheTaskRunsAndWorkersShowItsLoad() throws Exception {
        CliRun run = CliRun.of(env, "run", "--wait", "--timeout", "60s", "--name", "sleeper", "--cpus", "0.5",
                "--memory", "256m", "cube-demo:latest", "sleep", "300");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.err().contains("sleeper: running on cli-w1"), run.toString());

        CliRun workers = CliRun.of(env, "workers");
        assertEquals(0, workers.status(), workers.toString());
        String row = workers.out().lines().filter(l -> l.startsWith("cli-w1 ")).findFirst().orElseThrow();
        assertTrue(row.matches("cli-w1\\s+\\S+\\s+ready\\s+active\\s+0\\.5/2\\s+256M/1G\\s+1\\s+.*"), workers.out());

        JsonNode load = ManagerClient.JSON.readTree(CliRun.of(env, "workers", "-o", "json").out()).get(0).path("load");
        assertEquals(0.5, load.path("cpus").asDouble());
        assertEquals(1, load.path("tasks").asInt());

        assertEquals(0, CliRun.of(env, "stop", "sleeper").status());
    }

    @Test
    void runWaitOnATaskThatFailsIsExitFourWithTheError() {
        CliRun run = CliRun.of(env, "run", "--wait", "--timeout", "60s", "--name", "unpullable",
                "cube-missing-image:1");
        assertEquals(4, run.status(), run.toString());
        assertTrue(run.err().contains("cube: unpullable failed") && run.err().contains("cube-missing-image:1"),
                run.toString());
    }
}
