package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.TaskState;
import dev.cube.store.Command;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Parses the bodies the worker agent sends. Fields the gateway does not know are ignored here (the
 * agent may be newer than this manager); the ones it knows are checked like user input.
 */
final class WorkerBodies {
    private static final int MAX_TEXT_CHARS = 4096;
    /** A worker claiming more is lying (or misconfigured): the scheduler would trust it. */
    static final double MAX_CPUS = 4096;
    static final long MAX_MEMORY = 64L << 40;
    static final String TASK_STATES = Arrays.stream(TaskState.values())
            .map(TaskState::json).collect(Collectors.joining(", "));

    /**
     * The body of {@code POST /workers/register}; {@code secretHash} is the SHA-256 (hex) of the
     * {@code secret} it gave, null if none: the secret itself goes no further than this parser.
     */
    record Registration(String id, String name, String host, double cpus, long memoryBytes,
                        Map<String, String> labels, String agentUrl, String secretHash) {}

    /** The body of {@code POST /workers/{id}/tasks/{taskId}/status}. */
    record StatusReport(String session, TaskState state, String containerId, Integer exitCode, String error) {}

    private WorkerBodies() {}

    static Registration registration(byte[] body) {
        ObjectNode json = JsonBody.parseObject(body);
        String id = identifier(json, "id");
        String name = identifier(json, "name");
        String host = JsonFields.requiredString(json, "host");
        if (host.isBlank() || host.length() > 255) {
            throw new ValidationException("host", "host must be 1 to 255 characters");
        }
        JsonNode cpus = JsonFields.optional(json, "cpus");
        if (cpus == null || !cpus.isNumber() || !(cpus.doubleValue() > 0 && cpus.doubleValue() <= MAX_CPUS)) {
            throw new ValidationException("cpus", "cpus must be a number more than 0 and at most " + (int) MAX_CPUS);
        }
        JsonNode memory = JsonFields.optional(json, "memory");
        if (memory == null || !memory.isIntegralNumber() || !memory.canConvertToLong() || memory.longValue() <= 0
                || memory.longValue() > MAX_MEMORY) {
            throw new ValidationException("memory", "memory must be a whole number of bytes more than 0 and at most "
                    + ByteSize.format(MAX_MEMORY));
        }
        JsonNode labels = JsonFields.optional(json, "labels");
        Map<String, String> labelMap = labels == null ? Map.of() : JsonFields.stringMap(labels, "labels",
                TaskSpecParser.MAX_LABELS, TaskSpecParser.MAX_LABEL_KEY_CHARS, TaskSpecParser.MAX_LABEL_VALUE_BYTES,
                key -> !key.isBlank(), "a label key is 1 to " + TaskSpecParser.MAX_LABEL_KEY_CHARS + " characters");
        return new Registration(id, name, host, cpus.doubleValue(), memory.longValue(), labelMap, agentUrl(json),
                secretHash(json));
    }

    /**
     * The hash of the worker's secret (optional: older workers send none): 32 to 128 characters of
     * letters, digits, '-' and '_', so a guess is hopeless and no hash is of a short word.
     */
    private static String secretHash(ObjectNode json) {
        String secret = JsonFields.optionalString(json, "secret");
        if (secret == null) return null;
        if (!secret.matches("[A-Za-z0-9_-]{32,128}")) {
            throw new ValidationException("secret", "secret must be 32 to 128 letters, digits, '-' or '_'");
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Where the worker's agent serves container logs: an http(s) URL, or null from older workers. */
    private static String agentUrl(ObjectNode json) {
        String url = JsonFields.optionalString(json, "agentUrl");
        if (url != null && (url.length() > 255 || !url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?"))) {
            throw new ValidationException("agentUrl", "agentUrl must be an http:// or https:// URL of at most "
                    + "255 characters, not '" + JsonFields.abbreviate(url) + "'");
        }
        return url;
    }

    /**
     * {@code POST /workers/{id}/heartbeat}: the session, and {@code leaving} (optional, default
     * false): the worker stops on purpose, so its connection closing next is no sign of its death.
     */
    static Heartbeat heartbeat(byte[] body) {
        ObjectNode json = JsonBody.parseObject(body);
        JsonNode leaving = JsonFields.optional(json, "leaving");
        if (leaving != null && !leaving.isBoolean()) {
            throw new ValidationException("leaving", "leaving must be true or false, not " + JsonFields.kind(leaving));
        }
        return new Heartbeat(session(json), leaving != null && leaving.booleanValue());
    }

    record Heartbeat(String session, boolean leaving) {}

    static StatusReport statusReport(byte[] body) {
        return statusReport(JsonBody.parseObject(body), true);
    }

    private static StatusReport statusReport(ObjectNode json, boolean withSession) {
        String session = withSession ? session(json) : null;
        String stateText = JsonFields.requiredString(json, "state");
        TaskState state = Arrays.stream(TaskState.values())
                .filter(candidate -> candidate.json().equals(stateText))
                .findFirst()
                .orElseThrow(() -> new ValidationException("state", "state must be one of " + TASK_STATES
                        + ", not '" + JsonFields.abbreviate(stateText) + "'"));
        String containerId = shortText(json, "containerId");
        Integer exitCode = null;
        JsonNode exit = JsonFields.optional(json, "exitCode");
        if (exit != null) {
            if (!exit.isIntegralNumber() || !exit.canConvertToInt()) {
                throw new ValidationException("exitCode", "exitCode must be a whole number");
            }
            exitCode = exit.intValue();
        }
        return new StatusReport(session, state, containerId, exitCode, shortText(json, "error"));
    }

    /** Reports per call of {@code POST /workers/{id}/status}. */
    static final int MAX_REPORTS = 10_000;

    /** The body of {@code POST /workers/{id}/status}: many observations at once. */
    record StatusReports(String session, List<Command.StatusUpdate> reports) {}

    static StatusReports statusReports(byte[] body) {
        ObjectNode json = JsonBody.parseObject(body);
        String session = session(json);
        JsonNode reports = JsonFields.optional(json, "reports");
        if (reports == null || !reports.isArray() || reports.isEmpty() || reports.size() > MAX_REPORTS) {
            throw new ValidationException("reports", "reports must be an array of 1 to " + MAX_REPORTS
                    + " status reports");
        }
        List<Command.StatusUpdate> updates = new ArrayList<>(reports.size());
        for (int i = 0; i < reports.size(); i++) {
            String at = "reports[" + i + "]";
            if (!(reports.get(i) instanceof ObjectNode report)) {
                throw new ValidationException(at, at + " must be an object, not " + JsonFields.kind(reports.get(i)));
            }
            try {
                String taskId = identifier(report, "taskId");
                StatusReport r = statusReport(report, false);
                updates.add(new Command.StatusUpdate(taskId, r.state(), r.containerId(), r.exitCode(), r.error()));
            } catch (ValidationException e) {
                throw new ValidationException(at + "." + e.field(), at + "." + e.getMessage());
            }
        }
        return new StatusReports(session, updates);
    }

    private static String session(ObjectNode json) {
        String session = JsonFields.requiredString(json, "session");
        if (session.isBlank() || session.length() > 128) {
            throw new ValidationException("session", "session must be 1 to 128 characters");
        }
        return session;
    }

    private static String identifier(ObjectNode json, String field) {
        String value = JsonFields.requiredString(json, field);
        if (!IdChars.isId(value, 128)) {
            throw new ValidationException(field, field + " '" + JsonFields.abbreviate(value) + "' must be 1 to 128 "
                    + "characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        return value;
    }

    private static String shortText(ObjectNode json, String field) {
        String value = JsonFields.optionalString(json, field);
        if (value != null && value.length() > MAX_TEXT_CHARS) {
            throw new ValidationException(field, field + " is longer than " + MAX_TEXT_CHARS + " characters");
        }
        return value;
    }
}
