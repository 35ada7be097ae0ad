package dev.cube.worker.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cube.model.DesiredState;
import dev.cube.model.TaskState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a simulated worker needs of an assignments answer: the version and, per task, its id, state
 * and desired state. Read with the streaming parser, skipping specs, history and timestamps: binding
 * whole tasks was most of the fleet's CPU, and the fleet shares the machine with the managers.
 */
record AssignmentsDigest(long version, List<Assigned> tasks) {
    /** One assigned task, as far as a simulated worker cares. */
    record Assigned(String id, TaskState state, DesiredState desiredState) {}

    private static final JsonFactory FACTORY = new JsonFactory();

    static AssignmentsDigest read(byte[] body) throws IOException {
        long version = 0;
        List<Assigned> tasks = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("version")) {
                    version = p.getLongValue();
                } else if (field.equals("tasks") && value == JsonToken.START_ARRAY) {
                    while (p.nextToken() == JsonToken.START_OBJECT) tasks.add(task(p));
                } else {
                    p.skipChildren();
                }
            }
        }
        return new AssignmentsDigest(version, tasks);
    }

    private static Assigned task(JsonParser p) throws IOException {
        String id = null;
        TaskState state = null;
        DesiredState desired = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> id = p.getText();
                case "state" -> state = TaskState.parse(p.getText());
                case "desiredState" -> desired = DesiredState.parse(p.getText());
                default -> p.skipChildren();
            }
        }
        if (id == null || state == null || desired == null) {
            throw new IOException("an assigned task without id, state or desiredState");
        }
        return new Assigned(id, state, desired);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) throw new IOException("assignments: expected " + expected + ", got " + actual);
    }
}
