package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The quorum ({@code GET /managers}) and this manager's liveness ({@code GET /health}). */
final class ClusterRoutes {
    private final ClusterApi api;
    private final Duration timeout;

    ClusterRoutes(ClusterApi api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/managers", request -> Deadlines.within(timeout, api::managers)
                        .thenApply(managers -> ApiResponse.json(200, managers))),
                Route.get("/health", request -> {
                    JsonNode health = api.health();
                    // Load balancers send traffic only where a leader is known.
                    int status = "ok".equals(health.path("status").asText()) ? 200 : 503;
                    return CompletableFuture.completedFuture(ApiResponse.json(status, health));
                }));
    }
}
