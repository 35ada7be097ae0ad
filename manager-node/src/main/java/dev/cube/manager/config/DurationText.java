package dev.cube.manager.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations the way operators write them: "500ms", "10s", "2m", "1h" (or ISO-8601 "PT10S"). */
public final class DurationText extends StdScalarDeserializer<Duration> {
    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");

    public DurationText() {
        super(Duration.class);
    }

    public static Duration parse(String text) {
        String t = text.trim();
        if (t.startsWith("PT") || t.startsWith("pt")) {
            return Duration.parse(t);
        }
        Matcher m = TEXT.matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 10s, 2m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        try {
            return parse(p.getValueAsString());
        } catch (IllegalArgumentException e) {
            return (Duration) ctxt.handleWeirdStringValue(Duration.class, p.getValueAsString(), e.getMessage());
        }
    }
}
