package dev.cube.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /openapi.json}: the API described in OpenAPI 3.0, kept by hand in the resource
 * {@code dev/cube/gateway/openapi.json}. A test checks it lists exactly the routes the gateway serves.
 */
final class OpenApiRoutes {
    static final String RESOURCE = "openapi.json";
    private final byte[] document = load();

    List<Route> routes() {
        return List.of(Route.get("/openapi.json", request -> CompletableFuture.completedFuture(
                new ApiResponse(200, ApiResponse.JSON, document, Map.of()))));
    }

    static byte[] load() {
        try (InputStream in = OpenApiRoutes.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the gateway jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
