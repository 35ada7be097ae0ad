package dev.cube.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.TaskState;
import dev.cube.store.Command.StatusUpdate;
import java.io.IOException;

/**
 * Reads a {@link StatusUpdate} as this version writes it,
 * {@code ["taskId", "state", "containerId", exitCode, "error"]} with nulls in place, or as older
 * managers wrote it, an object with those fields.
 */
final class StatusUpdateReader extends JsonDeserializer<StatusUpdate> {
    private static final String SHAPE = "a status update is [\"taskId\", \"state\", containerId, exitCode, error]";

    @Override
    public StatusUpdate deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return switch (p.currentToken()) {
            case START_ARRAY -> {
                String taskId = p.nextTextValue();
                String state = p.nextTextValue();
                String containerId = nullableText(p, ctxt);
                Integer exitCode = switch (p.nextToken()) {
                    case VALUE_NULL -> null;
                    case VALUE_NUMBER_INT -> p.getIntValue();
                    case null, default -> ctxt.reportInputMismatch(StatusUpdate.class, SHAPE);
                };
                String error = nullableText(p, ctxt);
                if (taskId == null || state == null || p.nextToken() != JsonToken.END_ARRAY) {
                    yield ctxt.reportInputMismatch(StatusUpdate.class, SHAPE);
                }
                yield new StatusUpdate(taskId, TaskState.parse(state), containerId, exitCode, error);
            }
            case START_OBJECT -> {
                JsonNode fields = p.readValueAsTree();
                JsonNode exitCode = fields.path("exitCode");
                yield new StatusUpdate(fields.path("taskId").textValue(), TaskState.parse(fields.path("state").asText()),
                        fields.path("containerId").textValue(), exitCode.isNumber() ? exitCode.intValue() : null,
                        fields.path("error").textValue());
            }
            default -> ctxt.reportInputMismatch(StatusUpdate.class, SHAPE + ", not " + p.currentToken());
        };
    }

    private static String nullableText(JsonParser p, DeserializationContext ctxt) throws IOException {
        return switch (p.nextToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> p.getText();
            case null, default -> ctxt.reportInputMismatch(StatusUpdate.class, SHAPE);
        };
    }
}
