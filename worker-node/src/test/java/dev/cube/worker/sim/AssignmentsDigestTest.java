package dev.cube.worker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cube.model.DesiredState;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Json;
import dev.cube.worker.Assignments;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The digest reads what the manager really sends: the JSON of {@link Assignments} with whole tasks. */
class AssignmentsDigestTest {
    private static Task task(String id, TaskState state, DesiredState desired) {
        TaskSpec spec = new TaskSpec("job-" + id, "cube-demo:latest", List.of("sleep", "30"), Map.of("A", "{\"x\":[1]}"),
                0.5, 64L << 20, List.of(), Map.of("team", "a"));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        return new Task(id, spec.name(), spec, desired, state, "w-1", "worker-1", null, null, null, "a reason", t, t,
                null, null, t, 7);
    }

    @Test
    void readsVersionIdsAndStatesAndSkipsTheRest() throws IOException {
        Assignments sent = new Assignments(42, List.of(task("t-1", TaskState.SCHEDULED, DesiredState.RUNNING),
                task("t-2", TaskState.RUNNING, DesiredState.STOPPED)));
        AssignmentsDigest digest = AssignmentsDigest.read(Json.bytes(sent));
        assertEquals(42, digest.version());
        assertEquals(List.of(new AssignmentsDigest.Assigned("t-1", TaskState.SCHEDULED, DesiredState.RUNNING),
                new AssignmentsDigest.Assigned("t-2", TaskState.RUNNING, DesiredState.STOPPED)), digest.tasks());
    }

    @Test
    void anEmptyAnswerHasNoTasks() throws IOException {
        AssignmentsDigest digest = AssignmentsDigest.read(Json.bytes(new Assignments(3, List.of())));
        assertEquals(new AssignmentsDigest(3, List.of()), digest);
    }

    @Test
    void aTaskWithoutItsStateIsRefused() {
        byte[] body = "{\"version\":1,\"tasks\":[{\"id\":\"t-1\"}]}".getBytes(StandardCharsets.UTF_8);
        assertThrows(IOException.class, () -> AssignmentsDigest.read(body));
    }
}
