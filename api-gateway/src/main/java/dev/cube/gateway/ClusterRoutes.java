package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.ManagerInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The quorum ({@code GET|POST /managers}, {@code DELETE /managers/{id}}) and this manager's liveness ({@code GET /health}). */
final class ClusterRoutes {
    /** A membership change waits for the new member to catch up with the log. */
    private static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(60);

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
                Route.post("/managers", request -> {
                    ManagerInfo manager = ManagerBodies.manager(request.body());
                    return Deadlines.within(MEMBERSHIP_TIMEOUT, () -> api.addManager(manager))
                            .thenApply(outcome -> OutcomeResponses.of(outcome, 201));
                }),
                Route.delete("/managers/{id}", request -> Deadlines.within(MEMBERSHIP_TIMEOUT,
                                () -> api.removeManager(PathIds.of(request, "id")))
                        .thenApply(outcome -> OutcomeResponses.of(outcome, 200))),
                Route.get("/health", request -> {
                    JsonNode health = api.health();
                    // Load balancers send traffic only where a leader is known.
                    int status = "ok".equals(health.path("status").asText()) ? 200 : 503;
                    return CompletableFuture.completedFuture(ApiResponse.json(status, health));
                }).as(Route.Access.PUBLIC));
    }
}
