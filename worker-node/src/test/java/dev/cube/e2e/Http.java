package dev.cube.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.store.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON-over-HTTP client for tests, against a real gateway on loopback. */
final class Http {
    record Reply(int status, JsonNode body) {}

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;

    Http(String base) {
        this.base = base;
    }

    Reply get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Reply post(String path, String json) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Reply delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    /** The task's current JSON, read from the gateway. */
    JsonNode task(String ref) {
        return get("/tasks/" + ref).body();
    }

    private Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<byte[]> r = client.send(request.timeout(Duration.ofSeconds(15)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode body = r.body().length == 0 ? null : Json.MAPPER.readTree(r.body());
            return new Reply(r.statusCode(), body);
        } catch (IOException e) {
            throw new IllegalStateException("request to " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
