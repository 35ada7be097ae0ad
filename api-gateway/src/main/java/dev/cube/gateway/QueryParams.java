package dev.cube.gateway;

import java.util.List;
import java.util.Map;

/** Query string parameters with typed readers; a bad value is a {@link ValidationException} naming it. */
public record QueryParams(Map<String, List<String>> values) {

    public QueryParams {
        values = Map.copyOf(values);
    }

    /** The last value of {@code name}, or null when absent. */
    public String get(String name) {
        List<String> all = values.get(name);
        return all == null || all.isEmpty() ? null : all.getLast();
    }

    public boolean getBoolean(String name, boolean fallback) {
        String text = get(name);
        if (text == null) {
            return fallback;
        }
        return switch (text) {
            case "true", "1", "" -> true;
            case "false", "0" -> false;
            default -> throw new ValidationException(name, name + " must be true or false, not '" + text + "'");
        };
    }

    /** A whole number at least 0. */
    public long getNonNegativeLong(String name, long fallback) {
        String text = get(name);
        if (text == null) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ValidationException(name, name + " must be a whole number at least 0, not '" + text + "'");
    }
}
