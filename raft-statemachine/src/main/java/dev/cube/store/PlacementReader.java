package dev.cube.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.store.Command.Placement;
import java.io.IOException;

/**
 * Reads a {@link Placement} as this version writes it, {@code ["taskId", "workerId", taskVersion]},
 * or as older managers wrote it, {@code {"taskId": .., "workerId": .., "taskVersion": ..}}.
 */
final class PlacementReader extends JsonDeserializer<Placement> {
    @Override
    public Placement deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        return switch (p.currentToken()) {
            case START_ARRAY -> {
                String taskId = p.nextTextValue();
                String workerId = p.nextTextValue();
                p.nextToken();
                long version = p.getValueAsLong();
                if (taskId == null || workerId == null || p.nextToken() != JsonToken.END_ARRAY) {
                    yield ctxt.reportInputMismatch(Placement.class,
                            "a placement is [\"taskId\", \"workerId\", taskVersion]");
                }
                yield new Placement(taskId, workerId, version);
            }
            case START_OBJECT -> {
                JsonNode fields = p.readValueAsTree();
                yield new Placement(fields.path("taskId").textValue(), fields.path("workerId").textValue(),
                        fields.path("taskVersion").asLong());
            }
            default -> ctxt.reportInputMismatch(Placement.class,
                    "a placement is [\"taskId\", \"workerId\", taskVersion], not " + p.currentToken());
        };
    }
}
