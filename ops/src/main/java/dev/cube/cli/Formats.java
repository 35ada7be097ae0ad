package dev.cube.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Human forms of sizes, ages and ids for tables. */
final class Formats {
    private Formats() {}

    /** 268435456 → "256M", 1610612736 → "1.5G". */
    static String bytes(double bytes) {
        String[] units = {"B", "K", "M", "G", "T"};
        int unit = 0;
        while (bytes >= 1024 && unit < units.length - 1) {
            bytes /= 1024;
            unit++;
        }
        return (bytes == Math.rint(bytes) || bytes >= 100 ? String.format(Locale.ROOT, "%.0f", bytes)
                : String.format(Locale.ROOT, "%.1f", bytes)) + units[unit];
    }

    /** 0.5 → "0.5", 2 → "2". */
    static String cpus(double cpus) {
        return cpus == Math.rint(cpus) ? String.format(Locale.ROOT, "%.0f", cpus)
                : String.format(Locale.ROOT, "%.2f", cpus).replaceAll("0$", "");
    }

    /** How long ago an ISO instant was: "12s", "5m", "3h", "2d"; "" when absent. */
    static String age(JsonNode instant, Instant now) {
        if (instant == null || !instant.isTextual()) {
            return "";
        }
        try {
            Duration age = Duration.between(Instant.parse(instant.textValue()), now);
            long s = Math.max(0, age.toSeconds());
            if (s < 120) return s + "s";
            if (s < 7200) return s / 60 + "m";
            if (s < 172800) return s / 3600 + "h";
            return s / 86400 + "d";
        } catch (DateTimeParseException e) {
            return instant.textValue();
        }
    }

    /** The first 8 characters of an id, as in tables. */
    static String shortId(String id) {
        return id == null ? "" : id.length() <= 8 ? id : id.substring(0, 8);
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? "" : value.asText();
    }
}
