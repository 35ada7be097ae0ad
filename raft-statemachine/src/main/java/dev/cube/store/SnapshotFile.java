package dev.cube.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The on-disk snapshot: one header line {@code {"format":1,"length":N,"crc32":C}} then N bytes of
 * JSON ({@link StoreImage}). A reader refuses an unknown format, a short file or a bad checksum.
 * Both directions stream (a store of a million tasks is hundreds of MB of JSON): the writer leaves
 * room for the header, writes the body, then fills the header in, padded with spaces.
 */
public final class SnapshotFile {
    public static final int FORMAT = 1;
    /** The header line's width, newline included; JSON allows the padding spaces. */
    private static final int HEADER_BYTES = 96;
    private static final int BUFFER = 1 << 16;

    private SnapshotFile() {}

    /** Writes atomically: a temporary file renamed into place. */
    public static void write(StoreImage image, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(header(0, 0)));
            Counting body = new Counting(new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER));
            Json.MAPPER.writeValue(body, image);   // closes body: flushed, and the channel stays open (see Counting)
            channel.write(ByteBuffer.wrap(header(body.count, body.crc.getValue())), 0);
            channel.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static byte[] header(long length, long crc32) {
        String json = Json.MAPPER.createObjectNode().put("format", FORMAT).put("length", length).put("crc32", crc32)
                .toString();
        return (json + " ".repeat(HEADER_BYTES - 1 - json.length()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static StoreImage read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            byte[] line = headerLine(in);
            if (line == null) throw new IOException("snapshot " + file + " has no header");
            JsonNode header = Json.MAPPER.readTree(line);
            if (header.path("format").asInt() != FORMAT) {
                throw new IOException("snapshot " + file + " has format " + header.path("format") + ", expected " + FORMAT);
            }
            Checked body = new Checked(in);
            StoreImage image = null;
            IOException unreadable = null;
            try {
                image = Json.MAPPER.readValue(body, StoreImage.class);
            } catch (IOException e) {
                unreadable = e;
            }
            body.transferTo(OutputStream.nullOutputStream());   // the checksum covers every byte
            if (body.count != header.path("length").asLong() || body.crc.getValue() != header.path("crc32").asLong()) {
                throw new IOException("snapshot " + file + " is damaged (length or checksum mismatch)");
            }
            if (unreadable != null) throw unreadable;
            return image;
        }
    }

    /** The bytes before the first newline, or null if there is none near the start. */
    private static byte[] headerLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(HEADER_BYTES);
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0 || line.size() > 4096) return null;
            line.write(b);
        }
        return line.toByteArray();
    }

    /** Counts and checksums what passes; closing it flushes but leaves the file channel open. */
    private static final class Counting extends FilterOutputStream {
        final CRC32 crc = new CRC32();
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            crc.update(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            crc.update(b, off, len);
            count += len;
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }

    /** Counts and checksums what is read; closing it does nothing (the caller drains it afterwards). */
    private static final class Checked extends FilterInputStream {
        final CRC32 crc = new CRC32();
        long count;

        Checked(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                crc.update(b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                crc.update(b, off, n);
                count += n;
            }
            return n;
        }

        /** Reads what it skips, so the checksum still sees it. */
        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[8192];
            long left = n;
            for (int r; left > 0 && (r = read(buffer, 0, (int) Math.min(buffer.length, left))) > 0; ) {
                left -= r;
            }
            return n - left;
        }

        @Override
        public void close() {
            // the file is closed by read()
        }
    }
}
