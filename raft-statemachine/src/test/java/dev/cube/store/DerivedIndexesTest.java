package dev.cube.store;

import static dev.cube.store.Fixtures.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cube.model.Task;
import dev.cube.model.TaskState;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pending queue and the per-state counts follow every change, and are rebuilt from a snapshot. */
class DerivedIndexesTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void followChangesAndSurviveASnapshot() throws Exception {
        TaskStore store = new TaskStore();
        store.apply(1, submit("t-1", "a"));
        store.apply(2, submit("t-2", "b"));
        store.apply(3, submit("t-3", "c"));
        store.apply(4, new Command.StopTask("b", AT));
        assertEquals(List.of("t-1", "t-3"), store.pendingTasks(10).stream().map(Task::id).toList());
        assertEquals(List.of("t-1"), store.pendingTasks(1).stream().map(Task::id).toList());
        assertEquals(2, store.count(TaskState.PENDING));
        assertEquals(1, store.count(TaskState.STOPPED));

        Path file = dir.resolve("snap");
        SnapshotFile.write(store.image(), file);
        TaskStore restored = new TaskStore();
        restored.restore(SnapshotFile.read(file));
        assertEquals(List.of("t-1", "t-3"), restored.pendingTasks(10).stream().map(Task::id).toList());
        assertEquals(2, restored.count(TaskState.PENDING));
        assertEquals(0, restored.count(TaskState.RUNNING));
    }
}
