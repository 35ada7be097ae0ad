package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A worker is ready to take tasks, or down (missed its heartbeats). */
public enum WorkerState {
    READY, DOWN;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static WorkerState parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
