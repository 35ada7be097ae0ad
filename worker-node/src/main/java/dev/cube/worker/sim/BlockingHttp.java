package dev.cube.worker.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * One keep-alive HTTP/1.1 connection to the managers, blocking: meant for a virtual thread, where a
 * blocked read costs nothing. Thousands of simulated workers each hold their own; the JDK's
 * HttpClient shares one selector thread and one timer lock among all requests of a client, and
 * thousands of concurrent long-polls starve it. On a refused connection or a 503 it moves to the
 * next manager URL, one round at most. Calls are serialized; a {@link CallWatchdog} ends one past its timeout.
 */
final class BlockingHttp implements AutoCloseable {
    /** A status and a body; the gateway always sends Content-Length on the worker endpoints. */
    record Reply(int status, byte[] body) {
        String text() {
            String s = new String(body, StandardCharsets.UTF_8).strip();
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final long FAILOVER_PAUSE_MS = 200;
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final int BUFFER_BYTES = 1024;

    private final List<URI> urls;
    /** The Authorization header line, or empty. */
    private final String authorization;
    private int current;
    /** Volatile: {@link #close} from another thread unblocks a call in progress. */
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    /**
     * Read buffer for the status line and headers (and a small body after them); larger bodies go
     * straight into their own array. Small: the fleet holds two connections for each of thousands of workers.
     */
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int position;
    private int filled;

    /**
     * When the call in progress must have its answer ({@link System#nanoTime}), 0 between calls;
     * a {@link CallWatchdog} closes the connection after it (instead of a read timeout per socket).
     */
    private volatile long deadline;
    /** Set by the watchdog: the close that ends the call was a timeout. */
    private volatile boolean expired;

    /** {@code token}: sent as a Bearer token on every call; null for none. */
    BlockingHttp(List<URI> urls, int start, String token, CallWatchdog watchdog) {
        this.urls = List.copyOf(urls);
        this.authorization = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
        this.current = Math.floorMod(start, urls.size());
        watchdog.watch(this);
    }

    synchronized Reply send(String method, String path, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < urls.size(); attempt++) {
            URI base = urls.get(current);
            try {
                Reply reply;
                boolean reused = socket != null;
                try {
                    reply = exchange(base, method, path, body, timeout);
                } catch (IOException e) {
                    if (!reused) throw e;   // a fresh connection failed: move on
                    close();                // a kept-alive one may have been closed meanwhile: once more, fresh
                    reply = exchange(base, method, path, body, timeout);
                }
                if (reply.status() != 503) return reply;
                last = new IOException(base + " answered 503: " + reply.text());
            } catch (IOException e) {
                close();
                last = e;
            }
            close();   // the connection belongs to this manager: the next one gets its own
            current = (current + 1) % urls.size();
            Thread.sleep(FAILOVER_PAUSE_MS);
        }
        throw new IOException("no manager answered " + method + " " + path.replaceFirst("\\?.*", "") + ": " + last, last);
    }

    private Reply exchange(URI base, String method, String path, byte[] body, Duration timeout) throws IOException {
        Socket s = socket;
        if (s == null) {
            s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(base.getHost(), base.getPort()), CONNECT_TIMEOUT_MS);
            in = s.getInputStream();
            out = s.getOutputStream();
            filled = 0;
            position = 0;
            socket = s;
        }
        expired = false;
        deadline = System.nanoTime() + timeout.toNanos();
        try {
            out.write(request(base, method, path, body));
            return readReply();
        } catch (IOException e) {
            if (!expired) throw e;
            throw new SocketTimeoutException("no answer within " + timeout.toMillis() + " ms");
        } finally {
            deadline = 0;
        }
    }

    /** Called by the watchdog: closes the connection if its call is past its deadline. */
    void expireIfPast(long now) {
        long d = deadline;
        if (d != 0 && now - d > 0) {
            expired = true;
            close();
        }
    }

    /** The request line, headers and body in one array: one write, one segment for the gateway to read. */
    private byte[] request(URI base, String method, String path, byte[] body) {
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Accept: application/json\r\n").append(authorization);
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        } else if (!method.equals("GET")) {
            head.append("Content-Length: 0\r\n");
        }
        head.append("\r\n");
        int headLength = head.length();
        byte[] request = new byte[headLength + (body == null ? 0 : body.length)];
        for (int i = 0; i < headLength; i++) request[i] = (byte) head.charAt(i);   // ASCII
        if (body != null) System.arraycopy(body, 0, request, headLength, body.length);
        return request;
    }

    private Reply readReply() throws IOException {
        String status = line();
        if (!status.startsWith("HTTP/1.")) throw new IOException("not an HTTP answer: " + status);
        int code = Integer.parseInt(status.substring(9, 12));
        long length = -1;
        boolean close = status.startsWith("HTTP/1.0");
        for (String header; !(header = line()).isEmpty(); ) {
            int colon = header.indexOf(':');
            if (colon < 0) continue;
            String name = header.substring(0, colon).trim();
            if (name.equalsIgnoreCase("content-length")) {
                length = Long.parseLong(header.substring(colon + 1).trim());
            } else if (name.equalsIgnoreCase("connection")) {
                close = header.substring(colon + 1).trim().equalsIgnoreCase("close");
            } else if (name.equalsIgnoreCase("transfer-encoding")) {
                throw new IOException("unexpected transfer-encoding " + header.substring(colon + 1).trim());
            }
        }
        if (length > Integer.MAX_VALUE - 8) throw new IOException("body too large: " + length);
        byte[] body = length >= 0 ? body((int) length) : rest();
        if (close || length < 0) close();
        return new Reply(code, body);
    }

    /** Exactly {@code length} bytes: what the buffer holds, then straight from the socket into the array. */
    private byte[] body(int length) throws IOException {
        byte[] body = new byte[length];
        int buffered = Math.min(length, filled - position);
        System.arraycopy(buffer, position, body, 0, buffered);
        position += buffered;
        if (in.readNBytes(body, buffered, length - buffered) != length - buffered) {
            throw new IOException("connection closed inside the body");
        }
        return body;
    }

    /** A body without Content-Length: up to the end of the stream. */
    private byte[] rest() throws IOException {
        byte[] head = java.util.Arrays.copyOfRange(buffer, position, filled);
        position = filled;
        byte[] tail = in.readAllBytes();
        byte[] all = java.util.Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        return all;
    }

    /** One header line without its CR LF, read from the small buffer. */
    private String line() throws IOException {
        StringBuilder text = null;
        while (true) {
            if (position == filled) fill();
            int start = position;
            while (position < filled && buffer[position] != '\n') position++;
            boolean ended = position < filled;
            int end = position;
            if (ended) position++;   // the LF
            int length = end - start;
            if (text == null && ended) {
                if (length > 0 && buffer[end - 1] == '\r') length--;
                return new String(buffer, start, length, StandardCharsets.ISO_8859_1);
            }
            if (text == null) text = new StringBuilder(128);
            for (int i = start; i < end; i++) text.append((char) (buffer[i] & 0xff));
            if (text.length() > MAX_HEADER_BYTES) throw new IOException("header line too long");
            if (ended) {
                int n = text.length();
                if (n > 0 && text.charAt(n - 1) == '\r') text.setLength(n - 1);
                return text.toString();
            }
        }
    }

    private void fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) throw new IOException("connection closed by the manager");
        position = 0;
        filled = n;
    }

    /** Closes the connection; a call in progress on another thread fails at once (no lock is taken). */
    @Override
    public void close() {
        Socket s = socket;
        socket = null;
        if (s != null) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
