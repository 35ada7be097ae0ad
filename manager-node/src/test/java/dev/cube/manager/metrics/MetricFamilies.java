package dev.cube.manager.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.function.DoublePredicate;

/** Reads a Prometheus text exposition: a family's HELP and TYPE lines and its first sample's value. */
final class MetricFamilies {
    private final String text;

    MetricFamilies(String text) {
        this.text = text;
    }

    /**
     * Asserts that {@code sample} (a family, or a summary's {@code _count}/{@code _sum}, or a
     * counter's {@code _total}) has HELP and TYPE lines and a first value {@code plausible} accepts.
     */
    void assertValue(String sample, String type, DoublePredicate plausible) {
        // text format 0.0.4: a counter's family keeps its _total, a summary's samples add _count and _sum
        String family = type.equals("summary") ? sample.replaceAll("_(count|sum)$", "") : sample;
        assertTrue(text.contains("# HELP " + family + " "), "no HELP line for " + family);
        assertTrue(text.contains("# TYPE " + family + " " + type + "\n"), "no TYPE " + type + " line for " + family);
        for (String line : text.split("\n")) {
            if (line.startsWith(sample + " ") || line.startsWith(sample + "{")) {
                double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                assertTrue(plausible.test(value), sample + " has an implausible value: " + line);
                return;
            }
        }
        fail("no sample " + sample);
    }
}
