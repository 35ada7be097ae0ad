package dev.cube.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The worker's id, created once as a random UUID and kept in {@code <dataDir>/worker-id}, so a restarted
 * worker keeps its id and adopts the containers labelled with it.
 */
public record WorkerIdentity(String id) {

    static final String FILE = "worker-id";

    public static WorkerIdentity loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!id.isEmpty()) {
                    return new WorkerIdentity(id);
                }
            }
            Files.createDirectories(dataDir);
            String id = UUID.randomUUID().toString();
            // write then rename: a crash never leaves a half-written id behind
            Path tmp = Files.createTempFile(dataDir, FILE, ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new WorkerIdentity(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the worker id in " + file + ": " + e.getMessage(), e);
        }
    }
}
