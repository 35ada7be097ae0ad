package dev.cube.gateway;

import java.util.concurrent.CompletableFuture;

/** Answers one route. Must not block: slow work (the cluster) is awaited through the future. */
@FunctionalInterface
public interface RouteHandler {
    CompletableFuture<ApiResponse> handle(ApiRequest request);
}
