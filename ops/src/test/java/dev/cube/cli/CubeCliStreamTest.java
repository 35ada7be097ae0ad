package dev.cube.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * events, logs, drain and the token against a {@link FakeManager}, which serves the routes of the
 * shared API contract (NDJSON events with keep-alive blank lines, chunked logs) or, for routes it
 * was not given, the 404 of a manager that predates them.
 */
class CubeCliStreamTest {
    private FakeManager fake;

    @BeforeEach
    void start() throws Exception {
        fake = new FakeManager();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private CliRun cube(String... args) {
        return CliRun.of(Map.of("CUBE_MANAGER", fake.url()), args);
    }

    private static final String SUBMITTED =
            "{\"index\":7,\"topic\":\"task\",\"type\":\"task-submitted\",\"key\":\"t-1\",\"payload\":{\"name\":\"web\",\"state\":\"pending\"}}\n";
    private static final String PLACED =
            "{\"index\":9,\"topic\":\"task\",\"type\":\"task-scheduled\",\"key\":\"t-1\",\"payload\":{\"name\":\"web\",\"state\":\"scheduled\",\"workerName\":\"w1\"}}\n";

    @Test
    void eventsPrintsOneLinePerEventSkipsKeepAlivesAndPassesSince() {
        fake.answer("GET /events", 200, "application/x-ndjson", SUBMITTED, "\n", "\n", PLACED.substring(0, 20),
                PLACED.substring(20), "\n");
        CliRun run = cube("events", "--since", "5");
        assertEquals(0, run.status(), run.toString());
        List<String> lines = run.out().lines().toList();
        assertEquals(2, lines.size(), run.toString());
        assertTrue(lines.get(0).matches("7\\s+task\\s+task-submitted\\s+t-1\\s+name=web state=pending"), lines.get(0));
        assertTrue(lines.get(1).matches("9\\s+task\\s+task-scheduled\\s+t-1\\s+name=web state=scheduled workerName=w1"),
                lines.get(1));
        assertEquals("/events?since=5", fake.seen.getFirst().pathAndQuery());

        CliRun json = cube("events", "-o", "json", "--count", "1");
        assertEquals(0, json.status(), json.toString());
        assertEquals(SUBMITTED, json.out());
    }

    @Test
    void aLineThatIsNotJsonIsRefusedWithTheLine() {
        fake.answer("GET /events", 200, "application/x-ndjson", SUBMITTED, "<html>proxy error</html>\n");
        CliRun run = cube("events");
        assertEquals(1, run.status(), run.toString());
        assertTrue(run.err().contains("not JSON: <html>proxy error</html>"), run.toString());
    }

    @Test
    void logsCopiesTheStreamAsItComesWithTailAndFollow() {
        fake.answer("GET /tasks/web/logs", 200, "text/plain; charset=utf-8", "hello\n", "wor", "ld\n");
        CliRun run = cube("logs", "-f", "--tail", "10", "web");
        assertEquals(0, run.status(), run.toString());
        assertEquals("hello\nworld\n", run.out());
        assertEquals("/tasks/web/logs?tail=10&follow=true", fake.seen.getFirst().pathAndQuery());
    }

    @Test
    void aManagerWithoutTheRouteIsSaidToBeOlder() {
        for (String[] args : List.of(new String[] {"events"}, new String[] {"logs", "web"},
                new String[] {"drain", "w1"})) {
            CliRun run = cube(args);
            assertEquals(1, run.status(), run.toString());
            assertTrue(run.err().contains("does not serve") && run.err().contains("it runs an older version of Cube"),
                    run.toString());
        }
        fake.answer("GET /tasks/gone/logs", 404, "application/json", "{\"error\":\"no task with name or id 'gone'\"}");
        CliRun gone = cube("logs", "gone");
        assertEquals(1, gone.status());
        assertEquals("cube: no task with name or id 'gone'", gone.err().strip());
    }

    @Test
    void drainAndActivatePostAndPrintTheNewAvailability() {
        fake.answer("POST /workers/w1/drain", 200, "application/json", "{\"id\":\"w-1\",\"name\":\"w1\",\"availability\":\"drain\"}");
        fake.answer("POST /workers/w1/activate", 200, "application/json", "{\"id\":\"w-1\",\"name\":\"w1\",\"availability\":\"active\"}");
        assertEquals("w1: drain", cube("drain", "w1").out().strip());
        assertEquals("w1: active", cube("activate", "w1").out().strip());
        assertEquals(List.of("POST", "POST"), fake.seen.stream().map(FakeManager.Seen::method).toList());
    }

    @Test
    void removeWorkerDeletesItAndPrintsItsIdOrTheRefusal() {
        fake.answer("DELETE /workers/w1", 200, "application/json", "{\"removed\":\"w-1\"}");
        assertEquals("w-1", cube("remove-worker", "w1").out().strip());
        assertEquals("DELETE", fake.seen.getLast().method());
        fake.answer("DELETE /workers/w1", 409, "application/json",
                "{\"error\":\"worker w1 (w-1) is ready: only a worker declared down can be removed (stop it first)\"}");
        CliRun refused = cube("remove-worker", "w1");
        assertEquals(1, refused.status(), refused.toString());
        assertTrue(refused.err().contains("only a worker declared down can be removed"), refused.toString());
    }

    @Test
    void theTokenGoesAsABearerHeaderAndA401SaysHowToGiveOne() {
        fake.answer("GET /tasks", 200, "application/json", "[]");
        assertEquals(0, cube("ps", "--token", "s3cret").status());
        assertEquals("Bearer s3cret", fake.seen.getLast().authorization());
        assertEquals(0, CliRun.of(Map.of("CUBE_MANAGER", fake.url(), "CUBE_TOKEN", "from-env"), "ps").status());
        assertEquals("Bearer from-env", fake.seen.getLast().authorization());
        assertEquals(0, cube("ps").status());
        assertEquals(null, fake.seen.getLast().authorization());

        fake.answer("GET /tasks", 401, "application/json", "{\"error\":\"a bearer token is required\"}");
        CliRun refused = cube("ps");
        assertEquals(1, refused.status(), refused.toString());
        assertEquals("cube: a bearer token is required (set --token or CUBE_TOKEN)", refused.err().strip());
    }
}
