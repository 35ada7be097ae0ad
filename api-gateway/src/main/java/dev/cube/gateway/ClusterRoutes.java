package dev.cube.gateway;

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
                Route.get("/health", request -> CompletableFuture.completedFuture(
                        ApiResponse.json(200, api.health()))));
    }
}
