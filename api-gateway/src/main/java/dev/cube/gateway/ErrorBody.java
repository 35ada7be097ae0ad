package dev.cube.gateway;

/** The JSON body of every error answer; {@code field} is left out when no field is at fault. */
public record ErrorBody(String error, String field) {

    public static ErrorBody of(String error) {
        return new ErrorBody(error, null);
    }
}
