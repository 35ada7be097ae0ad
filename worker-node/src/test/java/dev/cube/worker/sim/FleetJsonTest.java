package dev.cube.worker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.DesiredState;
import dev.cube.model.Task;
import dev.cube.model.TaskAttempt;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Json;
import dev.cube.worker.Assignments;
import dev.cube.worker.Registration;
import dev.cube.worker.WorkerIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The fleet's streamed JSON reads what Cube's mapping writes, and writes what it reads. */
class FleetJsonTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

    private static Task task(String id, TaskState state, DesiredState desired, List<TaskAttempt> history) {
        TaskSpec spec = new TaskSpec("job-" + id, "cube-demo:latest", List.of("sleep", "30"), Map.of("id", "x"), 0.5,
                64L << 20, List.of(), Map.of("state", "stopped"));
        return new Task(id, spec.name(), spec, desired, state, "w1", "worker-1", null, null, null, null, T, T, null,
                null, T, 7, history.size() + 1, history);
    }

    @Test
    void anAssignmentsAnswerYieldsEachTasksIdStateAndDesiredStateOnly() throws IOException {
        TaskAttempt lost = new TaskAttempt(1, "w0", "worker-0", "c0", TaskState.LOST, null, null, T, T);
        byte[] body = Json.bytes(new Assignments(42, List.of(
                task("t1", TaskState.SCHEDULED, DesiredState.RUNNING, List.of(lost)),
                task("t2", TaskState.RUNNING, DesiredState.STOPPED, List.of()))));

        FleetJson.Assignments a = FleetJson.assignments(body);

        assertEquals(42, a.version());
        assertEquals(List.of(new FleetJson.Assigned("t1", TaskState.SCHEDULED, DesiredState.RUNNING),
                new FleetJson.Assigned("t2", TaskState.RUNNING, DesiredState.STOPPED)), a.tasks());
        assertEquals(List.of(), FleetJson.assignments("{\"version\":3,\"tasks\":[]}".getBytes()).tasks());
        assertThrows(IOException.class, () -> FleetJson.assignments("[]".getBytes()));
    }

    @Test
    void reportsAndHeartbeatsAreWhatCubesMappingWouldWrite() throws IOException {
        List<TaskReport> reports = List.of(new TaskReport("t1", TaskState.RUNNING, "simulated-t1", null, null),
                new TaskReport("t2", TaskState.STOPPED, null, 0, null));
        assertEquals(Json.MAPPER.readTree(Json.bytes(Map.of("session", "s-1", "reports", reports))),
                Json.MAPPER.readTree(FleetJson.reports("s-1", reports)));
        Registration registration = new Registration("w1", "w1", "simulated", 4, 16L << 30, Map.of("a", "b"), null,
                WorkerIdentity.newSecret());
        assertEquals(Json.MAPPER.readTree(Json.bytes(registration)),
                Json.MAPPER.readTree(FleetJson.registration(registration)));
        JsonNode beat = Json.MAPPER.readTree(FleetJson.heartbeat("s-\"2\""));
        assertEquals("s-\"2\"", beat.path("session").asText());
        assertEquals(1, beat.size());
    }

    @Test
    void topLevelFieldsAreFoundPastNestedOnes() throws IOException {
        byte[] body = "{\"refused\":[{\"accepted\":9,\"session\":\"no\"}],\"accepted\":3,\"session\":\"yes\"}"
                .getBytes(StandardCharsets.UTF_8);
        assertEquals(3, FleetJson.intField(body, "accepted"));
        assertEquals("yes", FleetJson.stringField(body, "session"));
        assertEquals(null, FleetJson.stringField("{}".getBytes(), "session"));
    }
}
