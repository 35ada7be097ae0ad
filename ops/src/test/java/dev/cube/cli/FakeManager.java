package dev.cube.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake manager for the CLI's streaming commands: a JDK HTTP server on loopback answering fixed
 * routes, each with a status, a content type and body chunks flushed one by one (so a client sees
 * a chunked stream). It records each request's path, query and Authorization header. Paths it
 * does not know get the router's 404 "no such endpoint", as an older manager would answer.
 */
final class FakeManager implements AutoCloseable {
    record Answer(int status, String contentType, List<String> chunks) {}

    record Seen(String method, String pathAndQuery, String authorization) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    FakeManager() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    FakeManager answer(String methodAndPath, int status, String contentType, String... chunks) {
        answers.put(methodAndPath, new Answer(status, contentType, List.of(chunks)));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String query = exchange.getRequestURI().getRawQuery();
        seen.add(new Seen(exchange.getRequestMethod(), path + (query == null ? "" : "?" + query),
                exchange.getRequestHeaders().getFirst("Authorization")));
        Answer answer = answers.getOrDefault(exchange.getRequestMethod() + " " + path,
                new Answer(404, "application/json", List.of("{\"error\":\"no such endpoint: " + path + "\"}")));
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), 0);   // chunked
        try (OutputStream body = exchange.getResponseBody()) {
            for (String chunk : answer.chunks()) {
                body.write(chunk.getBytes(StandardCharsets.UTF_8));
                body.flush();
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
