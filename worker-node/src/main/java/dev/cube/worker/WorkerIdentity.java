package dev.cube.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The worker's id and secret, each created once and kept in {@code <dataDir>}: the id (a random UUID,
 * {@code worker-id}) so a restarted worker keeps it and adopts the containers labelled with it; the
 * secret (256 random bits, {@code worker-secret}, readable by its owner only) so that only this
 * worker can register that id again: the managers bind the id to the secret it first came with.
 */
public record WorkerIdentity(String id, String secret) {

    static final String FILE = "worker-id";
    static final String SECRET_FILE = "worker-secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    public static WorkerIdentity loadOrCreate(Path dataDir) {
        return new WorkerIdentity(loadOrCreate(dataDir, FILE, () -> UUID.randomUUID().toString()),
                loadOrCreate(dataDir, SECRET_FILE, WorkerIdentity::newSecret));
    }

    /** 256 random bits in hex. */
    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The secret kept in {@code file}, created (mode 600) with {@link #newSecret} if absent or empty. */
    public static String loadOrCreateSecret(Path file) {
        Path absolute = file.toAbsolutePath();
        return loadOrCreate(absolute.getParent(), absolute.getFileName().toString(), WorkerIdentity::newSecret);
    }

    private static String loadOrCreate(Path dataDir, String name, java.util.function.Supplier<String> create) {
        Path file = dataDir.resolve(name);
        try {
            if (Files.exists(file)) {
                String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!value.isEmpty()) {
                    return value;
                }
            }
            Files.createDirectories(dataDir);
            String value = create.get();
            // write then rename: a crash never leaves a half-written file behind
            Path tmp = Files.createTempFile(dataDir, name, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }
}
