package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A worker is ready to take tasks, or down (missed its heartbeats). */
public enum WorkerState {
    READY, DOWN;

    private final String json = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static WorkerState parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
