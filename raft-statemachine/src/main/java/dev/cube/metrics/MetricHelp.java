package dev.cube.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HELP texts for metrics exported from Dropwizard (by the managers and the worker agents), which
 * has no descriptions: read from every
 * {@value #RESOURCE} on the class path (each module ships its own), keyed by Dropwizard name or by
 * a prefix ending in a dot (the longest wins). The exporter's generated line, which names a class
 * that changes from run to run, is replaced; a metric without a text gets "Cube metric NAME".
 */
public final class MetricHelp {
    public static final String RESOURCE = "cube-metric-help.properties";
    private static final Pattern GENERATED = Pattern.compile(
            "(?m)^# HELP (\\S+) Generated from Dropwizard metric import \\(metric=([^,]+), type=[^)]*\\)$");

    private final Properties texts = new Properties();

    public MetricHelp() {
        try {
            for (URL url : Collections.list(MetricHelp.class.getClassLoader().getResources(RESOURCE))) {
                try (InputStream in = url.openStream()) {
                    texts.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text for a Dropwizard name, or null. */
    public String text(String dropwizardName) {
        String exact = texts.getProperty(dropwizardName);
        if (exact != null) return exact;
        for (String prefix = dropwizardName; prefix.contains("."); ) {
            prefix = prefix.substring(0, prefix.lastIndexOf('.'));
            String text = texts.getProperty(prefix + ".");
            if (text != null) return text;
        }
        return null;
    }

    /** {@code exposition} with the generated HELP lines replaced. */
    public String rewrite(String exposition) {
        Matcher m = GENERATED.matcher(exposition);
        StringBuilder out = new StringBuilder(exposition.length());
        while (m.find()) {
            String text = text(m.group(2));
            String help = (text == null ? "Cube metric " + m.group(2) : text)
                    .replace("\\", "\\\\").replace("\n", " ");
            m.appendReplacement(out, Matcher.quoteReplacement("# HELP " + m.group(1) + " " + help));
        }
        m.appendTail(out);
        return out.toString();
    }
}
