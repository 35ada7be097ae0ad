package dev.cube.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of the form {@code --name value} or {@code --name=value}, plus positional words. */
final class Args {
    /** Thrown for a malformed command line; the message is meant for the user. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private final Map<String, String> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();
    private final boolean help;

    Args(String[] argv, Set<String> known) {
        boolean wantsHelp = false;
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("-h") || arg.equals("--help")) {
                wantsHelp = true;
            } else if (arg.startsWith("--")) {
                String name = arg.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (i + 1 < argv.length) {
                    value = argv[++i];
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                if (!known.contains(name)) throw new UsageException("unknown option --" + name);
                options.put(name, value);
            } else {
                positional.add(arg);
            }
        }
        this.help = wantsHelp;
    }

    boolean help() {
        return help;
    }

    List<String> positional() {
        return positional;
    }

    int integer(String name, int fallback, int min) {
        String text = options.get(name);
        if (text == null) return fallback;
        try {
            int value = Integer.parseInt(text.trim());
            if (value < min) throw new UsageException("--" + name + " must be at least " + min + ", got " + value);
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, got '" + text + "'");
        }
    }

    String string(String name, String fallback) {
        String text = options.get(name);
        return text == null ? fallback : text.trim();
    }

    double number(String name, double fallback) {
        String text = options.get(name);
        if (text == null) return fallback;
        try {
            double value = Double.parseDouble(text.trim());
            if (!(value > 0)) throw new UsageException("--" + name + " must be more than 0, got " + text);
            return value;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, got '" + text + "'");
        }
    }

    /** A duration: {@code 5s}, {@code 500ms}, {@code 2m}, or a plain number of seconds. */
    Duration duration(String name, Duration fallback) {
        String text = options.get(name);
        return text == null ? fallback : parseDuration(name, text.trim());
    }

    static Duration parseDuration(String name, String text) {
        try {
            if (text.endsWith("ms")) return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            if (text.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(text.substring(0, text.length() - 1)) * 1000));
            if (text.endsWith("m")) return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)) * 60);
            return Duration.ofMillis(Math.round(Double.parseDouble(text) * 1000));
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a duration like 5s or 500ms, got '" + text + "'");
        }
    }
}
