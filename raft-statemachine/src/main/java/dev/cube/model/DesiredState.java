package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What the managers want for a task; the worker owns the observed {@link TaskState}. */
public enum DesiredState {
    RUNNING, STOPPED;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static DesiredState parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
