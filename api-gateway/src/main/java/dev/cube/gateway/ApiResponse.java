package dev.cube.gateway;

import dev.cube.store.Json;
import java.util.Map;

/**
 * An answer ready to be written: status, content type, body bytes and extra headers; or, when
 * {@code stream} is set, a body written over time after the head (chunked; {@code body} is ignored).
 */
public record ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers,
                          ResponseStream stream) {

    static final String JSON = "application/json";

    public ApiResponse {
        headers = Map.copyOf(headers);
    }

    public ApiResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
        this(status, contentType, body, headers, null);
    }

    /** {@code value} serialized with {@link Json#MAPPER}. */
    public static ApiResponse json(int status, Object value) {
        return new ApiResponse(status, JSON, Json.bytes(value), Map.of());
    }

    public static ApiResponse error(int status, String message) {
        return json(status, ErrorBody.of(message));
    }

    public static ApiResponse error(int status, String message, String field) {
        return json(status, new ErrorBody(message, field));
    }

    /** A streamed answer: the head now, the body as {@code stream} writes it. */
    public static ApiResponse streaming(int status, String contentType, ResponseStream stream) {
        return new ApiResponse(status, contentType, new byte[0], Map.of(), stream);
    }

    public ApiResponse withHeader(String name, String value) {
        var copy = new java.util.LinkedHashMap<>(headers);
        copy.put(name, value);
        return new ApiResponse(status, contentType, body, copy, stream);
    }
}
