package dev.cube.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.testing.LocalCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI's main, in this JVM, against a real one-peer manager without workers (so tasks stay
 * pending): submission, listing, inspection, stop, workers, managers, and every exit status.
 */
class CubeCliTest {
    @TempDir
    static Path dir;
    private static LocalCluster cube;
    private static Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        cube = new LocalCluster(dir).startManager();
        env = Map.of("CUBE_MANAGER", cube.url());
    }

    @AfterAll
    static void stop() throws Exception {
        cube.close();
    }

    private static CliRun cube(String... args) {
        return CliRun.of(env, args);
    }

    private static JsonNode json(String text) throws Exception {
        return ManagerClient.JSON.readTree(text);
    }

    @Test
    void runTakesImageAndCommandLikeDockerRunAndInspectShowsTheSpec() throws Exception {
        CliRun run = cube("run", "--name", "web", "--cpus", "0.5", "--memory", "256m", "-e", "K=V", "-p", "8080:80",
                "--label", "k=v", "cube-demo:latest", "sh", "-c", "echo hi --not-an-option");
        assertEquals(0, run.status(), run.toString());
        assertTrue(run.out().strip().matches("[0-9a-f-]{36}"), run.toString());

        CliRun inspect = cube("inspect", "web");
        assertEquals(0, inspect.status(), inspect.toString());
        JsonNode task = json(inspect.out());
        assertEquals(run.out().strip(), task.path("id").asText());
        JsonNode spec = task.path("spec");
        assertEquals("[\"sh\",\"-c\",\"echo hi --not-an-option\"]", spec.path("command").toString());
        assertEquals(0.5, spec.path("cpus").asDouble());
        assertEquals(256L << 20, spec.path("memoryBytes").asLong());
        assertEquals("V", spec.path("env").path("K").asText());
        assertEquals("v", spec.path("labels").path("k").asText());
        assertEquals(8080, spec.path("ports").get(0).path("hostPort").asInt());
        assertEquals(80, spec.path("ports").get(0).path("containerPort").asInt());
    }

    @Test
    void psListsActiveTasksAsAnAlignedTableOrJsonAndStopEndsThem() throws Exception {
        assertEquals(0, cube("run", "--name", "ps-one", "cube-demo:latest", "sleep", "60").status());
        CliRun ps = cube("ps");
        assertEquals(0, ps.status(), ps.toString());
        String[] lines = ps.out().split("\n");
        assertTrue(lines[0].startsWith("NAME"), ps.toString());
        String row = lines[java.util.Arrays.asList(lines).indexOf(
                java.util.Arrays.stream(lines).filter(l -> l.startsWith("ps-one ")).findFirst().orElseThrow())];
        assertEquals(lines[0].indexOf("STATE"), row.indexOf("pending"), "the STATE column is aligned:\n" + ps.out());
        assertTrue(row.contains("no worker has registered"), row);

        JsonNode listed = json(cube("ps", "-o", "json").out());
        assertTrue(listed.isArray());
        assertTrue(names(listed).contains("ps-one"), listed.toString());

        CliRun stop = cube("stop", "ps-one");
        assertEquals(0, stop.status(), stop.toString());
        assertEquals("ps-one", stop.out().strip());
        assertFalse(cube("ps").out().contains("ps-one"), "a stopped task is not active");
        JsonNode all = json(cube("ps", "-a", "-o", "json").out());
        assertTrue(java.util.stream.StreamSupport.stream(all.spliterator(), false)
                .anyMatch(t -> t.path("name").asText().equals("ps-one") && t.path("state").asText().equals("stopped")),
                all.toString());
        assertTrue(cube("ps", "--state", "stopped").out().contains("ps-one"));
    }

    @Test
    void managersMarksTheLeaderAndWorkersPrintsItsHeader() throws Exception {
        CliRun managers = cube("managers");
        assertEquals(0, managers.status(), managers.toString());
        assertTrue(managers.out().lines().anyMatch(l -> l.startsWith("m1 *") && l.contains("leader")
                && l.contains(cube.url().substring("http://".length()))), managers.toString());
        assertEquals("m1", json(cube("managers", "-o", "json").out()).path("leader").asText());

        CliRun workers = cube("workers");
        assertEquals(0, workers.status(), workers.toString());
        assertTrue(workers.out().startsWith("NAME"), workers.toString());
        assertEquals("[ ]", cube("workers", "-o", "json").out().strip());
    }

    @Test
    void theApiRefusingIsExitOneWithTheServersSentence() {
        assertEquals(0, cube("run", "--name", "taken", "cube-demo:latest").status());
        CliRun again = cube("run", "--name", "taken", "cube-demo:latest");
        assertEquals(1, again.status(), again.toString());
        assertTrue(again.err().contains("task name 'taken' is in use"), again.toString());

        CliRun badName = cube("run", "--name", "Not_A_Label", "cube-demo:latest");
        assertEquals(1, badName.status(), badName.toString());
        assertTrue(badName.err().contains("name 'Not_A_Label' must be"), badName.toString());

        CliRun missing = cube("inspect", "no-such-task");
        assertEquals(1, missing.status(), missing.toString());
        assertTrue(missing.err().contains("no task with name or id 'no-such-task'"), missing.toString());
    }

    @Test
    void badUsageIsExitTwo() {
        assertEquals(2, cube("run").status());
        assertEquals(2, cube("frobnicate").status());
        CliRun env = cube("run", "-e", "NOEQUALS", "cube-demo:latest");
        assertEquals(2, env.status(), env.toString());
        assertTrue(env.err().contains("KEY=VALUE"), env.toString());
        assertEquals(2, cube("run", "--restart", "sometimes", "cube-demo:latest").status());
        assertEquals(2, cube("ps", "--manager", "ftp://x").status());
        CliRun help = cube("run", "--help");
        assertEquals(0, help.status(), help.toString());
        assertTrue(help.out().contains("Exit status:"), help.toString());
    }

    @Test
    void noManagerAnsweringIsExitThreeWithTheAddressAndTheCause() throws Exception {
        String dead = "http://127.0.0.1:" + LocalCluster.freePort();
        CliRun run = CliRun.of(Map.of("CUBE_MANAGER", dead), "ps");
        assertEquals(3, run.status(), run.toString());
        assertEquals("cube: no manager answered at " + dead + ": connection refused", run.err().strip());
    }

    @Test
    void theNextManagerIsTriedWhenOneDoesNotAnswerAndFlagsWinOverTheEnvironment() throws Exception {
        String dead = "http://127.0.0.1:" + LocalCluster.freePort();
        CliRun viaFlag = CliRun.of(Map.of("CUBE_MANAGER", dead), "managers", "--manager", dead + "," + cube.url());
        assertEquals(0, viaFlag.status(), viaFlag.toString());
        assertTrue(viaFlag.out().contains("m1 *"), viaFlag.toString());

        CliRun viaEnv = CliRun.of(Map.of("CUBE_MANAGER", dead + "," + cube.url()), "managers");
        assertEquals(0, viaEnv.status(), viaEnv.toString());
    }

    @Test
    void waitingForATaskThatCannotRunGivesUpWithExitFive() {
        CliRun run = cube("run", "--wait", "--timeout", "1s", "--name", "never-runs", "cube-demo:latest");
        assertEquals(5, run.status(), run.toString());
        assertTrue(run.err().contains("never-runs: pending"), run.toString());
        assertTrue(run.err().contains("never-runs is still pending after 1.0 s"), run.toString());
    }

    private static java.util.List<String> names(JsonNode tasks) {
        return java.util.stream.StreamSupport.stream(tasks.spliterator(), false)
                .map(t -> t.path("name").asText()).toList();
    }
}
