package dev.cube.worker.sim;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection to the managers, blocking: meant for a virtual thread, where a
 * blocked read costs nothing. Thousands of simulated workers each hold their own; the JDK's
 * HttpClient shares one selector thread and one timer lock among all requests of a client, and
 * thousands of concurrent long-polls starve it. On a refused connection or a 503 it moves to the
 * next manager URL, one round at most. Calls are serialized.
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

    private final List<URI> urls;
    /** The Authorization header line, or empty. */
    private final String authorization;
    private int current;
    /** Volatile: {@link #close} from another thread unblocks a call in progress. */
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;

    /** {@code token}: sent as a Bearer token on every call; null for none. */
    BlockingHttp(List<URI> urls, int start, String token) {
        this.urls = List.copyOf(urls);
        this.authorization = token == null ? "" : "Authorization: Bearer " + token + "\r\n";
        this.current = Math.floorMod(start, urls.size());
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
            in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
            out = s.getOutputStream();
            socket = s;
        }
        s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        StringBuilder head = new StringBuilder(160).append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(base.getHost()).append(':').append(base.getPort()).append("\r\n")
                .append("Accept: application/json\r\n").append(authorization);
        if (body != null) {
            head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
        } else if (!method.equals("GET")) {
            head.append("Content-Length: 0\r\n");
        }
        out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) out.write(body);
        out.flush();
        return readReply();
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
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) length = Long.parseLong(value);
            if (name.equals("connection")) close = value.equalsIgnoreCase("close");
            if (name.equals("transfer-encoding")) throw new IOException("unexpected transfer-encoding " + value);
        }
        byte[] body = length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
        if (length >= 0 && body.length != length) throw new IOException("connection closed inside the body");
        if (close || length < 0) close();
        return new Reply(code, body);
    }

    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new IOException("connection closed by the manager");
            if (bytes.size() > MAX_HEADER_BYTES) throw new IOException("header line too long");
            if (b != '\r') bytes.write(b);
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
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
