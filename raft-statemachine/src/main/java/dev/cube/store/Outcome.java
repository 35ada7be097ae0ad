package dev.cube.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** The result of applying a command: apply never throws for a business reason, it returns this. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "outcome")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Outcome.Accepted.class, name = "accepted"),
        @JsonSubTypes.Type(value = Outcome.Rejected.class, name = "rejected"),
        @JsonSubTypes.Type(value = Outcome.Batch.class, name = "batch"),
})
public sealed interface Outcome {

    /** The command took effect (or was already in effect); {@code value} is what it produced. */
    record Accepted(JsonNode value) implements Outcome {}

    /** The command changed nothing, for the stated reason. */
    record Rejected(Reason reason, String message) implements Outcome {}

    /** The outcomes of a {@link Command.Batch}, in the order of its commands. */
    record Batch(List<Outcome> outcomes) implements Outcome {}

    /** FORBIDDEN: the command names something its sender may not change (a worker id bound to another secret). */
    enum Reason { NOT_FOUND, CONFLICT, INVALID, STALE, FORBIDDEN }
}
