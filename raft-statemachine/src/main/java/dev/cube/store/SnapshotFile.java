package dev.cube.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The on-disk snapshot: one header line {@code {"format":1,"length":N,"crc32":C}} then N bytes of
 * JSON ({@link StoreImage}). A reader refuses an unknown format, a short file or a bad checksum.
 */
public final class SnapshotFile {
    public static final int FORMAT = 1;

    private SnapshotFile() {}

    /** Writes atomically: a temporary file renamed into place. */
    public static void write(StoreImage image, Path file) throws IOException {
        byte[] body = Json.bytes(image);
        byte[] header = (Json.MAPPER.createObjectNode()
                .put("format", FORMAT).put("length", body.length).put("crc32", crc32(body))
                .toString() + "\n").getBytes(StandardCharsets.UTF_8);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (var out = Files.newOutputStream(tmp)) {
            out.write(header);
            out.write(body);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static StoreImage read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        int newline = indexOf(all, (byte) '\n');
        if (newline < 0) throw new IOException("snapshot " + file + " has no header");
        JsonNode header = Json.MAPPER.readTree(Arrays.copyOf(all, newline));
        if (header.path("format").asInt() != FORMAT) {
            throw new IOException("snapshot " + file + " has format " + header.path("format") + ", expected " + FORMAT);
        }
        byte[] body = Arrays.copyOfRange(all, newline + 1, all.length);
        if (body.length != header.path("length").asLong() || crc32(body) != header.path("crc32").asLong()) {
            throw new IOException("snapshot " + file + " is damaged (length or checksum mismatch)");
        }
        return Json.MAPPER.readValue(body, StoreImage.class);
    }

    private static long crc32(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }

    private static int indexOf(byte[] bytes, byte b) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == b) return i;
        }
        return -1;
    }
}
