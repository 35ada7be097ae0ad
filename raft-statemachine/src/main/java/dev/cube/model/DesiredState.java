package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the managers want for a task; the worker owns the observed {@link TaskState}. */
public enum DesiredState {
    RUNNING, STOPPED;

    private final String json = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static DesiredState parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
