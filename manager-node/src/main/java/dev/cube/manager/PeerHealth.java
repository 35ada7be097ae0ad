package dev.cube.manager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.store.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;

/** Asks another manager for its own view (GET /health); null when it does not answer in time. */
final class PeerHealth {
    private final HttpClient http;
    private final Duration timeout;
    private final String scheme;

    /** {@code tls}: HTTPS trusting the cluster CA, or null for plain HTTP. */
    PeerHealth(Duration timeout, SSLContext tls) {
        this.timeout = timeout;
        this.scheme = tls == null ? "http://" : "https://";
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout);
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    CompletableFuture<JsonNode> health(String apiAddress) {
        if (apiAddress == null) return CompletableFuture.completedFuture(null);
        HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + apiAddress + "/health")).timeout(timeout).GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .thenApply(response -> {
                    try {
                        return Json.MAPPER.readTree(response.body());
                    } catch (java.io.IOException e) {
                        return (JsonNode) null;
                    }
                })
                .exceptionally(failure -> null);
    }
}
