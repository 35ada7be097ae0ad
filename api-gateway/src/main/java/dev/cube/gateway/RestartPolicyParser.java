package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.Durations;
import dev.cube.model.RestartPolicy;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A task's {@code restart}: {@code {"policy": "never" | "on-failure" | "always", "maxAttempts": N,
 * "delay": "2s"}}. {@code maxAttempts} counts runs, the first included (0 or absent: no limit);
 * {@code delay} is the wait before the first restart (default 1s), doubled for each further one.
 */
final class RestartPolicyParser {
    static final Duration DEFAULT_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofMinutes(5);
    static final int MAX_ATTEMPTS = 10_000;
    private static final Set<String> FIELDS = Set.of("policy", "maxAttempts", "delay");
    private static final String POLICIES = Arrays.stream(RestartPolicy.Policy.values())
            .map(p -> "'" + p.json() + "'").collect(Collectors.joining(", "));

    private RestartPolicyParser() {}

    static RestartPolicy parse(JsonNode value) {
        if (value == null) {
            return RestartPolicy.NEVER;
        }
        if (!(value instanceof ObjectNode restart)) {
            throw new ValidationException("restart", "restart must be an object like {\"policy\": \"on-failure\", "
                    + "\"maxAttempts\": 3, \"delay\": \"2s\"}, not " + JsonFields.kind(value));
        }
        for (String name : (Iterable<String>) restart::fieldNames) {
            if (!FIELDS.contains(name)) {
                throw new ValidationException("restart." + name, "unknown field 'restart." + name + "'");
            }
        }
        return new RestartPolicy(policy(restart), maxAttempts(JsonFields.optional(restart, "maxAttempts")),
                delay(JsonFields.optional(restart, "delay")));
    }

    private static RestartPolicy.Policy policy(ObjectNode restart) {
        JsonNode value = JsonFields.optional(restart, "policy");
        if (value == null) {
            throw new ValidationException("restart.policy", "restart.policy is required: one of " + POLICIES);
        }
        String text = JsonFields.string(value, "restart.policy");
        return Arrays.stream(RestartPolicy.Policy.values()).filter(p -> p.json().equals(text)).findFirst()
                .orElseThrow(() -> new ValidationException("restart.policy", "restart.policy must be one of "
                        + POLICIES + ", not '" + JsonFields.abbreviate(text) + "'"));
    }

    private static int maxAttempts(JsonNode value) {
        if (value == null) {
            return 0;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < 0
                || value.intValue() > MAX_ATTEMPTS) {
            throw new ValidationException("restart.maxAttempts", "restart.maxAttempts must be a whole number from 0 "
                    + "(no limit) to " + MAX_ATTEMPTS + ", not " + (value.isNumber() ? value.asText() : JsonFields.kind(value)));
        }
        return value.intValue();
    }

    private static Duration delay(JsonNode value) {
        if (value == null) {
            return DEFAULT_DELAY;
        }
        Duration delay;
        try {
            delay = Durations.parse(JsonFields.string(value, "restart.delay"));
        } catch (IllegalArgumentException e) {
            throw new ValidationException("restart.delay", "restart.delay " + e.getMessage());
        }
        if (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0) {
            throw new ValidationException("restart.delay", "restart.delay must be between 0s and 5m, not '"
                    + JsonFields.abbreviate(value.textValue()) + "'");
        }
        return delay;
    }
}
