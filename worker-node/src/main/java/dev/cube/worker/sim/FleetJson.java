package dev.cube.worker.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.cube.model.DesiredState;
import dev.cube.model.TaskState;
import dev.cube.store.Json;
import dev.cube.worker.Registration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The simulated fleet's JSON, streamed: it reads of an assignments answer only what a simulated
 * worker acts on (each task's id, state and desired state) and writes its reports without binding
 * records. One factory for the whole fleet with a bounded shared buffer pool: Jackson's default
 * keeps buffers per thread, i.e. per virtual thread here, tens of KiB for each of thousands.
 */
final class FleetJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(32)).build();

    /** What a simulated worker needs of one assigned task. */
    record Assigned(String id, TaskState state, DesiredState desiredState) {}

    /** An assignments answer: the store version and the tasks. */
    record Assignments(long version, List<Assigned> tasks) {}

    private FleetJson() {}

    static Assignments assignments(byte[] body) throws IOException {
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
        return new Assignments(version, tasks);
    }

    /** One task object, the parser on its START_OBJECT; nested values are skipped. */
    private static Assigned task(JsonParser p) throws IOException {
        String id = null;
        TaskState state = null;
        DesiredState desired = DesiredState.RUNNING;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (value == JsonToken.VALUE_STRING) {
                switch (field) {
                    case "id" -> id = p.getText();
                    case "state" -> state = TaskState.parse(p.getText());
                    case "desiredState" -> desired = DesiredState.parse(p.getText());
                    default -> { }
                }
            } else {
                p.skipChildren();
            }
        }
        if (id == null || state == null) throw new IOException("an assigned task without id or state");
        return new Assigned(id, state, desired);
    }

    /** A top-level string field of an object, or null. */
    static String stringField(byte[] body, String name) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = name.equals(p.currentName());
                JsonToken value = p.nextToken();
                if (wanted && value == JsonToken.VALUE_STRING) return p.getText();
                p.skipChildren();
            }
        }
        return null;
    }

    /** A top-level integer field of an object, or 0. */
    static int intField(byte[] body, String name) throws IOException {
        try (JsonParser p = FACTORY.createParser(body)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                boolean wanted = name.equals(p.currentName());
                JsonToken value = p.nextToken();
                if (wanted && value == JsonToken.VALUE_NUMBER_INT) return p.getIntValue();
                p.skipChildren();
            }
        }
        return 0;
    }

    /** The body of a registration, in Cube's mapping (on this factory's generator). */
    static byte[] registration(Registration registration) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            Json.MAPPER.writeValue(g, registration);
        }
        return out.toByteArray();
    }

    /** {@code {"session": ..}}, the body of a heartbeat. */
    static byte[] heartbeat(String session) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("session", session);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** {@code {"session": .., "reports": [..]}}, the body of a bulk status report; null fields left out. */
    static byte[] reports(String session, List<TaskReport> reports) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + reports.size() * 120);
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("session", session);
            g.writeArrayFieldStart("reports");
            for (TaskReport r : reports) {
                g.writeStartObject();
                g.writeStringField("taskId", r.taskId());
                g.writeStringField("state", r.state().json());
                if (r.containerId() != null) g.writeStringField("containerId", r.containerId());
                if (r.exitCode() != null) g.writeNumberField("exitCode", r.exitCode());
                if (r.error() != null) g.writeStringField("error", r.error());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void expect(JsonToken token, JsonToken wanted) throws IOException {
        if (token != wanted) throw new IOException("expected " + wanted + ", found " + token);
    }
}
