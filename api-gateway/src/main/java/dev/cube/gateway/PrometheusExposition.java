package dev.cube.gateway;

import com.codahale.metrics.MetricRegistry;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renders a Dropwizard registry in the Prometheus text format 0.0.4 (HELP and TYPE lines). Dotted
 * names become underscored ({@code cube.tasks.state.running} → {@code cube_tasks_state_running});
 * the request timers are exported by {@link RequestMetrics} as one labelled summary; HELP texts
 * come from {@link dev.cube.metrics.MetricHelp}.
 */
public final class PrometheusExposition {
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(PrometheusExposition.class);

    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final dev.cube.metrics.MetricHelp help = new dev.cube.metrics.MetricHelp();

    public PrometheusExposition(MetricRegistry registry, RequestMetrics requests) {
        DropwizardExports.builder()
                .dropwizardRegistry(registry)
                .metricFilter((name, metric) -> !RequestMetrics.isRequestTimer(name))
                .invalidMetricHandler((name, e) -> {
                    log.warn("metric {} left out of /metrics: {}", name, e.toString());
                    return true;
                })
                .register(prometheus);
        prometheus.register(requests);
    }

    /** The current values, as the text a Prometheus server scrapes. */
    public byte[] scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, prometheus.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return help.rewrite(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
