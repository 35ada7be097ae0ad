package dev.cube.gateway;

import java.util.Map;

/**
 * One HTTP request as the routes see it: decoded path parameters (by template name), query
 * parameters and the raw body.
 */
public record ApiRequest(String method, String path, Map<String, String> pathParams, QueryParams query, byte[] body) {

    public ApiRequest {
        pathParams = Map.copyOf(pathParams);
    }

    /** A path parameter the route template declares, e.g. {@code ref} for {@code /tasks/{ref}}. */
    public String param(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no path parameter " + name);
        }
        return value;
    }
}
