package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether the operator lets a worker take tasks ({@code active}) or is emptying it ({@code drain}). */
public enum Availability {
    ACTIVE, DRAIN;

    private final String json = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static Availability parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
