package dev.cube.store;

import static dev.cube.store.Fixtures.exited;
import static dev.cube.store.Fixtures.markDown;
import static dev.cube.store.Fixtures.reasons;
import static dev.cube.store.Fixtures.register;
import static dev.cube.store.Fixtures.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import dev.cube.store.Fixtures.Driver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFileTest {

    @TempDir
    Path dir;

    /** Tasks in every state on three workers, one of them down and bound to a secret, and a name used twice. */
    static Driver storeWithEveryState() {
        Driver d = new Driver();
        d.accept(register("w-1", "s-1"));
        d.accept(register("w-2", "s-2"));
        d.accept(register("w-3", "s-3", "hash-3"));
        d.submitted("t-pending", "pending");
        d.submitted("t-scheduled", "scheduled");
        d.submitted("t-running", "running");
        d.submitted("t-completed", "completed");
        d.submitted("t-failed", "failed");
        d.submitted("t-stopped", "stopped");
        d.submitted("t-lost", "lost");
        d.submitted("t-old", "web");
        d.accept(reasons(Map.of("t-pending", "0/3 workers fit: 3 insufficient cpu")));
        d.scheduled("t-scheduled", "w-1");
        d.running("t-running", "w-1", "s-1");
        d.finished("t-completed", "w-2", "s-2", TaskState.COMPLETED);
        d.running("t-failed", "w-2", "s-2");
        d.accept(exited("t-failed", "w-2", "s-2", TaskState.FAILED, 3, "exited with code 3"));
        d.accept(stop("t-stopped"));
        d.running("t-lost", "w-3", "s-3");
        d.accept(markDown("w-3"));
        d.accept(stop("t-old"));
        d.submitted("t-new", "web");
        d.scheduled("t-new", "w-2");
        assertEquals(2, d.task("t-lost").attempt(), "placed again, its lost run in the history");
        // Lost runs live in a task's history now; every other state is held by some task.
        assertEquals(EnumSet.complementOf(EnumSet.of(TaskState.LOST)),
                d.store.tasks().stream().map(Task::state).collect(Collectors.toCollection(() -> EnumSet.noneOf(TaskState.class))));
        return d;
    }

    private static void assertSameStore(TaskStore expected, TaskStore actual) {
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.tasks(), actual.tasks());
        assertEquals(expected.workers(), actual.workers());
        for (Worker w : expected.workers()) {
            assertEquals(expected.allocation(w.id()), actual.allocation(w.id()), w.id());
            assertEquals(expected.assignments(w.id()), actual.assignments(w.id()), w.id());
            assertEquals(w, actual.worker(w.name()));
        }
        for (Task t : expected.tasks()) {
            assertEquals(expected.task(t.name()), actual.task(t.name()), t.name());
            assertEquals(t, actual.task(t.id()));
        }
    }

    @Test
    void aStoreSurvivesWriteReadAndRestore() throws IOException {
        Driver d = storeWithEveryState();
        Path file = dir.resolve("snapshot.1_42");
        SnapshotFile.write(d.store.image(), file);

        StoreImage read = SnapshotFile.read(file);
        TaskStore restored = new TaskStore();
        restored.restore(read);

        assertSameStore(d.store, restored);
        assertEquals("t-new", restored.task("web").id());
        assertEquals(new Allocation(1000, 512 * Fixtures.MIB, 2), restored.allocation("w-1"));
    }

    @Test
    void anImageRestoresIntoANewStoreWithoutGoingThroughAFile() {
        Driver d = storeWithEveryState();
        TaskStore restored = new TaskStore();
        restored.restore(d.store.image());
        assertSameStore(d.store, restored);
        assertEquals("t-new", restored.task("web").id());
    }

    @Test
    void restoreReplacesWhatTheStoreHeld() {
        Driver d = storeWithEveryState();
        Driver other = new Driver();
        other.accept(register("w-9", "s-9"));
        other.submitted("t-9", "web");
        other.scheduled("t-9", "w-9");
        other.store.restore(d.store.image());
        assertSameStore(d.store, other.store);
        assertEquals(Allocation.NONE, other.store.allocation("w-9"));
    }

    @Test
    void aStoreOfWorkersOnlySurvivesWriteReadAndRestore() throws IOException {
        Driver d = new Driver();
        d.accept(register("w-1", "s-1"));
        d.accept(register("w-2", "s-2"));
        d.accept(markDown("w-2"));
        Path file = dir.resolve("snapshot.1_3");
        SnapshotFile.write(d.store.image(), file);

        TaskStore restored = new TaskStore();
        restored.restore(SnapshotFile.read(file));
        assertSameStore(d.store, restored);
        assertFalse(Files.exists(dir.resolve("snapshot.1_3.tmp")));
    }

    @Test
    void anEmptyStoreSurvives() throws IOException {
        Path file = dir.resolve("snapshot.0_0");
        SnapshotFile.write(new TaskStore().image(), file);
        assertEquals(new StoreImage(0, List.of(), List.of(), Map.of(), List.of()), SnapshotFile.read(file));
    }

    @Test
    void aFlippedByteInTheBodyIsDamage() throws IOException {
        Path file = dir.resolve("snapshot.1_42");
        SnapshotFile.write(storeWithEveryState().store.image(), file);
        byte[] bytes = Files.readAllBytes(file);
        int body = indexOfNewline(bytes) + 1;
        int at = body + (bytes.length - body) / 2;
        bytes[at] ^= 0x01;
        Files.write(file, bytes);

        IOException e = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aTruncatedBodyIsDamage() throws IOException {
        Path file = dir.resolve("snapshot.1_42");
        SnapshotFile.write(storeWithEveryState().store.image(), file);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length - 10));

        IOException e = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void anotherFormatNumberIsRefused() throws IOException {
        Path file = dir.resolve("snapshot.1_42");
        SnapshotFile.write(new TaskStore().image(), file);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.startsWith("{\"format\":1,"), text);
        Files.writeString(file, text.replaceFirst("\"format\":1", "\"format\":2"), StandardCharsets.UTF_8);

        IOException e = assertThrows(IOException.class, () -> SnapshotFile.read(file));
        assertTrue(e.getMessage().contains("format"), e.getMessage());
    }

    @Test
    void aFileWithoutHeaderIsRefused() throws IOException {
        Path file = dir.resolve("snapshot.1_42");
        Files.writeString(file, "{\"version\":3}");
        assertThrows(IOException.class, () -> SnapshotFile.read(file));
    }

    private static int indexOfNewline(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') return i;
        }
        throw new AssertionError("no header line");
    }
}
