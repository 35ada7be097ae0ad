package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The store says why a task waits to restart ("restarting after exit code 3 (attempt 2 of 5)") and
 * until when ({@code notBefore}); a reader also wants how long: "restarting in 4s after exit code 3
 * (attempt 2 of 5)". Only the answer is changed, never the store.
 */
final class RestartWaits {
    private static final String PREFIX = "restarting after ";

    private RestartWaits() {}

    /** {@code tasks}: one task or an array of tasks, as read from the store; changed in place. */
    static JsonNode describe(JsonNode tasks, Instant now) {
        if (tasks != null && tasks.isArray()) {
            tasks.forEach(t -> describeOne(t, now));
        } else {
            describeOne(tasks, now);
        }
        return tasks;
    }

    private static void describeOne(JsonNode task, Instant now) {
        if (!(task instanceof ObjectNode t) || !"pending".equals(t.path("state").asText())
                || !t.path("notBefore").isTextual() || !t.path("reason").asText().startsWith(PREFIX)) {
            return;
        }
        Instant notBefore;
        try {
            notBefore = Instant.parse(t.path("notBefore").asText());
        } catch (DateTimeParseException e) {
            return;
        }
        if (now.isBefore(notBefore)) {
            t.put("reason", "restarting in " + text(Duration.between(now, notBefore)) + " after "
                    + t.path("reason").asText().substring(PREFIX.length()));
        }
    }

    /** "850ms", "4s", "2m30s". */
    static String text(Duration d) {
        if (d.toMillis() < 1000) return d.toMillis() + "ms";
        long s = (d.toMillis() + 999) / 1000;
        return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
}
