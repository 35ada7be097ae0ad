package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;
import java.util.Locale;

/**
 * What the leader does when a task's container ends: nothing ({@code never}), start a new attempt
 * after a non-zero exit ({@code on-failure}), or after any exit ({@code always}). The delay before
 * attempt n+1 doubles with each attempt; {@code maxAttempts} 0 means no limit.
 */
public record RestartPolicy(Policy policy, int maxAttempts, Duration delay) {
    public static final RestartPolicy NEVER = new RestartPolicy(Policy.NEVER, 0, Duration.ZERO);

    public RestartPolicy {
        policy = policy == null ? Policy.NEVER : policy;
        delay = delay == null ? Duration.ZERO : delay;
    }

    public enum Policy {
        NEVER, ON_FAILURE, ALWAYS;

        private final String json = name().toLowerCase(Locale.ROOT).replace('_', '-');

        @JsonValue
        public String json() {
            return json;
        }

        @JsonCreator
        public static Policy parse(String text) {
            return valueOf(text.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
