package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;

/** Checks every line of a Prometheus text exposition against the 0.0.4 line grammar. */
final class PrometheusTextCheck {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    private static final Pattern SAMPLE = Pattern.compile(
            NAME + "(?:\\{" + LABEL + "(?:," + LABEL + ")*\\})? (?:[-+]?[0-9.eE+-]+|NaN|[+-]Inf)(?: -?[0-9]+)?");
    private static final Pattern HELP = Pattern.compile("# HELP " + NAME + " .*");
    private static final Pattern TYPE = Pattern.compile("# TYPE " + NAME
            + " (?:counter|gauge|histogram|summary|untyped)");

    private PrometheusTextCheck() {}

    static void assertValid(String text) {
        for (String line : text.split("\n")) {
            boolean valid = line.startsWith("# HELP") ? HELP.matcher(line).matches()
                    : line.startsWith("# TYPE") ? TYPE.matcher(line).matches()
                    : SAMPLE.matcher(line).matches();
            assertTrue(valid, "invalid exposition line: " + line);
        }
    }
}
