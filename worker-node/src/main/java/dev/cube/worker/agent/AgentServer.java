package dev.cube.worker.agent;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cube.security.AgentSignature;
import dev.cube.store.Json;
import dev.cube.worker.runtime.ContainerRuntime;
import dev.cube.worker.runtime.ContainerRuntime.ContainerStatus;
import dev.cube.worker.runtime.ContainerRuntime.RuntimeFailure;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker agent's small HTTP server, for the managers and for scrapers:
 * <ul>
 *   <li>{@code GET /containers/logs?task=ID[&attempt=N][&tail=N][&follow=true]}: the output of the
 *       task's container on this worker, chunked; with follow until the container stops. Only for a
 *       manager: the request must carry its {@link AgentSignature} (401 without, 503 before the
 *       worker has registered)</li>
 *   <li>{@code GET /metrics[?format=json]}: this worker's metrics (Prometheus text or JSON)</li>
 *   <li>{@code GET /health}: 200 with the worker id</li>
 * </ul>
 * It binds when constructed (so its URL can go into the registration) and serves after {@link #start}.
 * Each request runs on a virtual thread.
 */
public final class AgentServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(AgentServer.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final HttpServer server;
    private final String url;
    private ContainerRuntime runtime;
    private String workerId;
    private WorkerMetrics metrics;
    private Supplier<String> session;

    /** Binds {@code host:port} (port 0: any free port); {@code advertisedUrl} null derives it from the address. */
    public AgentServer(String host, int port, String advertisedUrl) throws IOException {
        this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
        this.url = advertisedUrl != null ? advertisedUrl.replaceAll("/+$", "")
                : "http://" + advertisedHost(host) + ":" + server.getAddress().getPort();
    }

    /** The URL managers use to reach this server. */
    public String url() {
        return url;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code session} gives the worker's current session (null while it is not registered). */
    public AgentServer start(ContainerRuntime runtime, String workerId, WorkerMetrics metrics,
                             Supplier<String> session) {
        this.runtime = runtime;
        this.workerId = workerId;
        this.metrics = metrics;
        this.session = session;
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/containers/logs", exchange -> handle(exchange, this::logs));
        server.createContext("/metrics", exchange -> handle(exchange, this::metrics));
        server.createContext("/health", exchange -> handle(exchange, e ->
                json(e, 200, Map.of("status", "ok", "workerId", workerId))));
        server.start();
        log.info("worker {}: agent serving logs and metrics at {}", workerId, url);
        return this;
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private static void handle(HttpExchange exchange, Handler handler) {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                json(exchange, 405, Map.of("error", "only GET is served here"));
                return;
            }
            handler.handle(exchange);
        } catch (IOException e) {
            log.debug("agent request {} ended early: {}", exchange.getRequestURI(), e.toString());
        } catch (RuntimeException e) {
            log.warn("agent request {} failed: {}", exchange.getRequestURI(), e.toString());
        }
    }

    private void metrics(HttpExchange exchange) throws IOException {
        String format = query(exchange).getOrDefault("format", "prometheus");
        switch (format) {
            case "json" -> send(exchange, 200, "application/json", metrics.json());
            case "prometheus", "text" -> send(exchange, 200, WorkerMetrics.PROMETHEUS_TYPE, metrics.prometheusText());
            default -> json(exchange, 400, Map.of("error", "format must be json or prometheus", "field", "format"));
        }
    }

    private void logs(HttpExchange exchange) throws IOException {
        String current = session.get();
        if (current == null) {
            json(exchange, 503, Map.of("error", "worker " + workerId + " is not registered with a manager yet"));
            return;
        }
        if (!AgentSignature.verify(current, workerId, exchange.getRequestURI().getRawQuery(),
                exchange.getRequestHeaders().getFirst(AgentSignature.HEADER), Instant.now().getEpochSecond())) {
            log.warn("worker {}: refused a log request without a valid manager signature from {}", workerId,
                    exchange.getRemoteAddress());
            json(exchange, 401, Map.of("error", "container logs are served to the managers only: "
                    + AgentSignature.HEADER + " is missing, expired or not for this request"));
            return;
        }
        Map<String, String> query = query(exchange);
        String taskId = query.get("task");
        if (taskId == null || taskId.isBlank()) {
            json(exchange, 400, Map.of("error", "task is required: the id of the task", "field", "task"));
            return;
        }
        Integer attempt;
        Integer tail;
        try {
            attempt = query.containsKey("attempt") ? Integer.parseInt(query.get("attempt")) : null;
            tail = query.containsKey("tail") ? Integer.parseInt(query.get("tail")) : null;
            if (tail != null && tail < 0) throw new NumberFormatException();
        } catch (NumberFormatException e) {
            json(exchange, 400, Map.of("error", "attempt and tail must be whole numbers at least 0"));
            return;
        }
        boolean follow = "true".equals(query.get("follow"));
        Optional<ContainerStatus> container;
        try {
            container = container(taskId, attempt);
        } catch (RuntimeFailure e) {
            json(exchange, 502, Map.of("error", e.getMessage()));
            return;
        }
        if (container.isEmpty()) {
            json(exchange, 404, Map.of("error", "worker " + workerId + " has no container of task " + taskId
                    + " (it has not started yet, or was removed)"));
            return;
        }
        stream(exchange, container.get().containerId(), tail, follow);
    }

    /** The task's container for that attempt, else its latest attempt here. */
    private Optional<ContainerStatus> container(String taskId, Integer attempt) throws RuntimeFailure {
        var ofTask = runtime.list(workerId).stream().filter(c -> taskId.equals(c.taskId())).toList();
        return ofTask.stream().filter(c -> attempt != null && c.attempt() == attempt).findFirst()
                .or(() -> ofTask.stream().max(Comparator.comparingInt(ContainerStatus::attempt)
                        .thenComparing(ContainerStatus::running)));
    }

    private void stream(HttpExchange exchange, String containerId, Integer tail, boolean follow) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", TEXT);
        exchange.sendResponseHeaders(200, 0);   // chunked
        OutputStream out = exchange.getResponseBody();
        CountDownLatch ended = new CountDownLatch(1);
        Closeable[] handle = new Closeable[1];
        boolean[] broken = new boolean[1];
        try {
            handle[0] = runtime.logs(containerId, tail, follow, chunk -> {
                if (broken[0]) return;
                try {
                    out.write(chunk);
                    out.flush();
                } catch (IOException e) {   // the manager went away
                    broken[0] = true;
                    closeQuietly(handle[0]);
                }
            }, error -> {
                if (error != null) log.debug("logs of container {} ended: {}", containerId, error.toString());
                ended.countDown();
            });
            ended.await();
        } catch (RuntimeFailure e) {
            out.write(("cube: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(handle[0]);
        }
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // stopping anyway
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> values = new HashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw == null) return values;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            values.put(key, value);
        }
        return values;
    }

    private static void json(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, "application/json", Json.bytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    private static String advertisedHost(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.isBlank()) {
            return host.contains(":") ? "[" + host + "]" : host;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
