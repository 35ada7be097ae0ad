package dev.cube.manager.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import dev.cube.model.Durations;
import java.io.IOException;
import java.time.Duration;

/** Reads config durations the way operators write them (see {@link Durations}). */
public final class DurationText extends StdScalarDeserializer<Duration> {

    public DurationText() {
        super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        try {
            return Durations.parse(p.getValueAsString());
        } catch (IllegalArgumentException e) {
            return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getValueAsString(), e.getMessage());
        }
    }
}
