package dev.cube.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * The managers' HTTP API over java.net.http: HTTP/1.1 with keep-alive (the client pools connections
 * per manager), virtual threads for the client's own work.
 */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer; {@code status} 0 means nothing answered (connection refused, reset, timed out). */
    record Reply(int status, String body, String failure) {
        boolean answered() {
            return status != 0;
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }
    }

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();

    /** The API token of the environment variable CUBE_TOKEN, sent with every call when set. */
    private final String authorization = tokenHeader(System.getenv("CUBE_TOKEN"));

    Reply get(URI base, String path, Duration timeout) {
        return send(request(base, path, timeout).GET().build());
    }

    Reply post(URI base, String path, String json, Duration timeout) {
        return send(request(base, path, timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Reply delete(URI base, String path, Duration timeout) {
        return send(request(base, path, timeout).DELETE().build());
    }

    private HttpRequest.Builder request(URI base, String path, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    private static String tokenHeader(String token) {
        return token == null || token.isBlank() ? null : "Bearer " + token.strip();
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body(), null);
        } catch (IOException e) {
            return new Reply(0, "", e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(0, "", "interrupted");
        }
    }
}
