package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Observed state of a task. {@code pending → scheduled → running → completed | failed | stopped},
 * plus {@code lost} when its worker is declared down. The four last states are terminal.
 */
public enum TaskState {
    PENDING, SCHEDULED, RUNNING, COMPLETED, FAILED, STOPPED, LOST;

    private static final Set<TaskState> TERMINAL = EnumSet.of(COMPLETED, FAILED, STOPPED, LOST);

    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }

    /** Whether a task may move from this state to {@code next}; staying put is not a move. */
    public boolean canMoveTo(TaskState next) {
        return switch (this) {
            case PENDING -> next == SCHEDULED || next == STOPPED;
            // A short task may exit before its worker reports it running.
            case SCHEDULED -> next == RUNNING || next.isTerminal();
            case RUNNING -> next.isTerminal();
            case COMPLETED, FAILED, STOPPED, LOST -> false;
        };
    }

    private final String json = name().toLowerCase(Locale.ROOT);

    @JsonValue
    public String json() {
        return json;
    }

    @JsonCreator
    public static TaskState parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
