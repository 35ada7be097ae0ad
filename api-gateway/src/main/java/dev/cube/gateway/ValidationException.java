package dev.cube.gateway;

/**
 * Bad input from a client: answered 400 with {@code {"error": message, "field": field}}.
 * {@code field} names the part of the request at fault ({@code env.FOO}, {@code ports[0]}, a query
 * parameter), or is null when the request as a whole is at fault (for example malformed JSON).
 */
public final class ValidationException extends RuntimeException {
    private final String field;

    public ValidationException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    /** The field at fault, or null. */
    public String field() {
        return field;
    }
}
