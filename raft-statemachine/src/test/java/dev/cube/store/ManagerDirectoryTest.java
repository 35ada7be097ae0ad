package dev.cube.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.cube.model.ManagerInfo;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagerDirectoryTest {
    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    private static final ManagerInfo M4 = new ManagerInfo("m4", "127.0.0.1:9873", "127.0.0.1:8083");

    @TempDir
    Path dir;

    @Test
    void putRemoveAndSurviveASnapshot() throws Exception {
        TaskStore store = new TaskStore();
        store.apply(1, new Command.PutManager(M4, AT));
        store.apply(2, new Command.PutManager(new ManagerInfo("m5", "127.0.0.1:9874", "127.0.0.1:8084"), AT));
        assertInstanceOf(Outcome.Accepted.class, store.apply(3, new Command.RemoveManager("m5", AT)));
        assertEquals(Outcome.Reason.NOT_FOUND,
                assertInstanceOf(Outcome.Rejected.class, store.apply(4, new Command.RemoveManager("m5", AT))).reason());

        Path file = dir.resolve("snap");
        SnapshotFile.write(store.image(), file);
        TaskStore restored = new TaskStore();
        restored.restore(SnapshotFile.read(file));
        assertEquals(List.of(M4), restored.managers());
    }
}
