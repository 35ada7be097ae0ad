package dev.cube.gateway;

import java.util.Map;

/**
 * One HTTP request as the routes see it: decoded path parameters (by template name), query
 * parameters, the raw body and the connection it came on.
 */
public record ApiRequest(String method, String path, Map<String, String> pathParams, QueryParams query, byte[] body,
                         ClientConnection connection) {

    public ApiRequest {
        pathParams = Map.copyOf(pathParams);
        connection = connection == null ? ClientConnection.NONE : connection;
    }

    /** A request whose connection is of no interest. */
    public ApiRequest(String method, String path, Map<String, String> pathParams, QueryParams query, byte[] body) {
        this(method, path, pathParams, query, body, ClientConnection.NONE);
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
