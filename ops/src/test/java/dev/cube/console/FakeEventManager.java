package dev.cube.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A fake manager for the console's live path, which the real manager of this module does not
 * serve yet: the console's files from the classpath, fixed JSON for /tasks, /workers and
 * /managers, one line of logs for the task id-1, a streaming GET /events fed line by line by the test (blank keep-alives while idle),
 * and bearer-token auth on every API call. It records the /events requests (with their query).
 */
final class FakeEventManager implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final String token;
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<String> eventRequests = new CopyOnWriteArrayList<>();
    final List<String> logRequests = new CopyOnWriteArrayList<>();
    volatile String tasks = "[]";
    private volatile boolean closed;

    FakeEventManager(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Sends one NDJSON line to the open event stream; an empty line is a keep-alive. */
    void push(String line) {
        events.add(line);
    }

    /** Ends the open event stream, as a manager that stops would. */
    void endStream() {
        events.add("END");
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/")) {
            file(exchange, "index.html", "text/html; charset=utf-8");
        } else if (path.startsWith("/console/")) {
            String name = path.substring("/console/".length());
            file(exchange, name, name.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8");
        } else if (!("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "application/json", "{\"error\":\"a valid bearer token is required\"}");
        } else {
            switch (path) {
                case "/tasks" -> send(exchange, 200, "application/json", tasks);
                case "/workers" -> send(exchange, 200, "application/json", "[]");
                case "/managers" -> send(exchange, 200, "application/json",
                        "{\"leader\":\"m1\",\"managers\":[{\"id\":\"m1\",\"role\":\"leader\",\"api\":\"fake\"}]}");
                case "/events" -> stream(exchange);
                case "/tasks/id-1/logs" -> {
                    logRequests.add(exchange.getRequestURI().getRawQuery());
                    send(exchange, 200, "text/plain; charset=utf-8", "hello from the container\n");
                }
                default -> send(exchange, 404, "application/json", "{\"error\":\"no such endpoint: " + path + "\"}");
            }
        }
    }

    private void stream(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        eventRequests.add("/events" + (query == null ? "" : "?" + query));
        exchange.getResponseHeaders().set("Content-Type", "application/x-ndjson");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream body = exchange.getResponseBody()) {
            while (!closed) {
                String line = events.poll(500, TimeUnit.MILLISECONDS);
                if ("END".equals(line)) {
                    return;
                }
                body.write(((line == null ? "" : line) + "\n").getBytes(StandardCharsets.UTF_8));
                body.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the page went away
        }
    }

    private static void file(HttpExchange exchange, String name, String type) throws IOException {
        try (InputStream in = FakeEventManager.class.getResourceAsStream("/dev/cube/gateway/console/" + name)) {
            if (in == null) {
                send(exchange, 404, "text/plain", "no " + name);
                return;
            }
            send(exchange, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        threads.shutdownNow();
    }
}
