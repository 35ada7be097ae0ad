package dev.cube.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.cube.model.Worker;
import dev.cube.store.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker side of the manager gateway's worker endpoints, over HTTP+JSON. Any manager answers
 * (the gateway routes writes to the leader); on a connection failure or a 503 the client moves on to
 * the next URL, round-robin, after a short pause. Thread-safe.
 */
public final class ManagerClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ManagerClient.class);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final long FAILOVER_PAUSE_MS = 200;

    /** Every manager URL failed (connection refused, timeout, 503) in one round. */
    public static final class UnavailableException extends IOException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A manager answered with an unexpected status. */
    public static final class StatusException extends IOException {
        private final int status;

        public StatusException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** What became of a status report. */
    public enum ReportResult { ACCEPTED, REFUSED }

    private final List<URI> urls;
    private final AtomicInteger current = new AtomicInteger();
    private final HttpClient http;
    /**
     * Heartbeats only, one at a time: their own keep-alive connection, which the leader watches (a
     * worker that dies has it closed by its kernel), never held up behind a long-poll or a report.
     */
    private final HttpClient heartbeatHttp;
    private final String authorization;

    public ManagerClient(List<URI> urls) {
        this(urls, null, null);
    }

    /**
     * {@code joinToken}: sent as a Bearer token on every call (null: none); {@code tls}: trusts the
     * cluster CA for {@code https://} URLs (null: the JVM's default trust).
     */
    public ManagerClient(List<URI> urls, String joinToken, SSLContext tls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("at least one manager URL is needed");
        }
        this.urls = List.copyOf(urls);
        this.authorization = joinToken == null || joinToken.isBlank() ? null : "Bearer " + joinToken.strip();
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
                .version(HttpClient.Version.HTTP_1_1);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
        this.heartbeatHttp = builder.build();
    }

    /** Registers (or re-registers) the worker; the answer carries the new session. */
    public Worker register(Registration registration) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send("POST", "/workers/register", registration, REQUEST_TIMEOUT);
        expect(r, 200, "register");
        return read(r.body(), Worker.class);
    }

    /** Returns false on 404: the manager does not know this worker (or session) and wants it to register again. */
    public boolean heartbeat(String workerId, String session) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send(heartbeatHttp, "POST", "/workers/" + enc(workerId) + "/heartbeat",
                new Heartbeat(session, null), REQUEST_TIMEOUT);
        if (r.statusCode() == 404) {
            return false;
        }
        expect(r, 200, "heartbeat");
        return true;
    }

    /**
     * A last heartbeat before this worker stops on purpose: its connections closing next are no sign
     * of its death, so the leader waits for its heartbeat deadline (a restarted worker adopts its
     * containers within it). Best effort: failures are ignored.
     */
    public void leave(String workerId, String session, Duration timeout) throws InterruptedException {
        try {
            send(heartbeatHttp, "POST", "/workers/" + enc(workerId) + "/heartbeat", new Heartbeat(session, true), timeout);
        } catch (UnavailableException e) {
            log.debug("worker {}: the managers did not hear that it leaves: {}", workerId, e.getMessage());
        }
    }

    /** Long-poll: answers once the store version is past {@code after}, or after {@code wait}. */
    public Assignments assignments(String workerId, long after, Duration wait) throws IOException, InterruptedException {
        String path = "/workers/" + enc(workerId) + "/assignments?after=" + after + "&wait=" + wait.toMillis();
        HttpResponse<byte[]> r = send("GET", path, null, wait.plus(REQUEST_TIMEOUT));
        expect(r, 200, "assignments");
        return read(r.body(), Assignments.class);
    }

    /** Reports a task's observed state; 409 (stale session, illegal transition) comes back as REFUSED. */
    public ReportResult report(String workerId, String taskId, StatusReport report)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> r = send("POST", "/workers/" + enc(workerId) + "/tasks/" + enc(taskId) + "/status",
                report, REQUEST_TIMEOUT);
        if (r.statusCode() == 409) {
            log.info("manager refused report {} for task {}: {}", report.state(), taskId, body(r));
            return ReportResult.REFUSED;
        }
        expect(r, 200, "status report");
        return ReportResult.ACCEPTED;
    }

    /** {@code leaving}: true in the last heartbeat of a worker that stops; null (left out) otherwise. */
    private record Heartbeat(String session, Boolean leaving) {}

    /** Closes the connections to the managers, aborting calls in progress. */
    @Override
    public void close() {
        http.shutdownNow();
        heartbeatHttp.shutdownNow();
    }

    /** One round over the URLs, starting at the one that answered last. */
    private HttpResponse<byte[]> send(String method, String path, Object body, Duration timeout)
            throws UnavailableException, InterruptedException {
        return send(http, method, path, body, timeout);
    }

    private HttpResponse<byte[]> send(HttpClient client, String method, String path, Object body, Duration timeout)
            throws UnavailableException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < urls.size(); attempt++) {
            int index = current.get();
            URI base = urls.get(index % urls.size());
            HttpRequest.Builder request = HttpRequest.newBuilder(resolve(base, path)).timeout(timeout)
                    .header("Accept", "application/json");
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            if (body != null) {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            try {
                HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
                if (response.statusCode() != 503) {
                    return response;
                }
                last = new IOException(base + " answered 503: " + body(response));
            } catch (IOException e) {
                last = e;
            }
            current.compareAndSet(index, (index + 1) % urls.size());
            if (urls.size() > 1) {
                log.debug("manager {} failed ({}); trying the next one", base, last.toString());
            }
            Thread.sleep(FAILOVER_PAUSE_MS);
        }
        throw new UnavailableException("no manager answered " + method + " " + path.replaceFirst("\\?.*", "")
                + " (tried " + urls + "): " + (last == null ? "?" : last.toString()), last);
    }

    private static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }

    private static void expect(HttpResponse<byte[]> r, int status, String what) throws StatusException {
        if (r.statusCode() != status) {
            throw new StatusException(r.statusCode(), what + " answered HTTP " + r.statusCode() + ": " + body(r));
        }
    }

    private static String body(HttpResponse<byte[]> r) {
        String text = new String(r.body(), StandardCharsets.UTF_8).strip();
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    private static String enc(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Tolerant of fields added by newer managers. */
    private static <T> T read(byte[] bytes, Class<T> type) throws IOException {
        ObjectReader reader = Json.MAPPER.readerFor(type).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return reader.readValue(bytes);
    }
}
