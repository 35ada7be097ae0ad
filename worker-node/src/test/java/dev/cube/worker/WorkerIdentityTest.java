package dev.cube.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerIdentityTest {
    @TempDir
    Path dir;

    @Test
    void theIdAndSecretAreMadeOnceAndKept() throws Exception {
        WorkerIdentity first = WorkerIdentity.loadOrCreate(dir.resolve("data"));
        assertTrue(first.secret().matches("[0-9a-f]{64}"), first.secret());
        assertEquals(first, WorkerIdentity.loadOrCreate(dir.resolve("data")));
        assertNotEquals(first, WorkerIdentity.loadOrCreate(dir.resolve("other")));
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data").resolve(WorkerIdentity.SECRET_FILE))));
    }

    @Test
    void aDataDirFromBeforeSecretsKeepsItsIdAndGainsASecret() throws Exception {
        Files.writeString(dir.resolve(WorkerIdentity.FILE), "old-id\n");
        WorkerIdentity identity = WorkerIdentity.loadOrCreate(dir);
        assertEquals("old-id", identity.id());
        assertEquals(identity.secret(), Files.readString(dir.resolve(WorkerIdentity.SECRET_FILE)).strip());
    }
}
