package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/**
 * One line of the {@code GET /events} stream (NDJSON):
 * {@code {"index":N,"topic":"task","type":"task-submitted","key":"<id>","payload":{...}}}.
 * Blank lines are keep-alives.
 */
record EventLine(long index, String topic, String type, String key, JsonNode payload, String raw) {

    /** The event on this line; empty for a keep-alive. A line that is not JSON is refused. */
    static Optional<EventLine> parse(String line) {
        if (line.isBlank()) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = ManagerClient.JSON.readTree(line);
        } catch (IOException e) {
            throw CliException.refused("the event stream sent a line that is not JSON: " + abbreviate(line));
        }
        if (node == null || !node.isObject()) {
            throw CliException.refused("the event stream sent a line that is not a JSON object: " + abbreviate(line));
        }
        return Optional.of(new EventLine(node.path("index").asLong(), Formats.text(node, "topic"),
                Formats.text(node, "type"), Formats.text(node, "key"), node.path("payload"), line.strip()));
    }

    /** One human line: index, topic, type, key, and what the payload says in a few words. */
    String human() {
        return String.format("%-8d %-8s %-22s %s%s", index, topic, type, key, summary());
    }

    private String summary() {
        StringBuilder s = new StringBuilder();
        for (String field : new String[] {"name", "state", "workerName", "role", "availability", "reason", "error"}) {
            JsonNode value = payload.path(field);
            if (value.isValueNode() && !value.isNull() && !value.asText().isEmpty()) {
                s.append(s.isEmpty() ? "  " : " ").append(field).append('=').append(value.asText());
            }
        }
        return s.toString();
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 77) + "...";
    }
}
