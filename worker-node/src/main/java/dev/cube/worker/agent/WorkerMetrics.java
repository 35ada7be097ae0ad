package dev.cube.worker.agent;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.jmx.JmxReporter;
import com.codahale.metrics.json.MetricsModule;
import com.codahale.metrics.jvm.ClassLoadingGaugeSet;
import com.codahale.metrics.jvm.GarbageCollectorMetricSet;
import com.codahale.metrics.jvm.MemoryUsageGaugeSet;
import com.codahale.metrics.jvm.ThreadStatesGaugeSet;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cube.metrics.MetricHelp;
import dev.cube.store.Json;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The worker process's one metrics registry: per-task container CPU and memory ({@link TaskUsage}),
 * the worker's totals, heartbeats, the JVM. Served by the agent at {@code /metrics} (Prometheus text,
 * {@code ?format=json} for Dropwizard JSON) and over JMX in the domain {@code cube}.
 */
public final class WorkerMetrics implements AutoCloseable {
    public static final String PROMETHEUS_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final MetricRegistry registry = new MetricRegistry();
    private final TaskUsage taskUsage = new TaskUsage(registry);
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final ObjectMapper json = Json.MAPPER.copy()
            .registerModule(new MetricsModule(TimeUnit.SECONDS, TimeUnit.MILLISECONDS, false));
    private final JmxReporter jmx;
    private final MetricHelp help = new MetricHelp();

    public WorkerMetrics() {
        registry.register("cube.worker.containers.sampled", (Gauge<Integer>) taskUsage::count);
        registry.register("cube.worker.cpu.cores.used", (Gauge<Double>) taskUsage::totalCpuCores);
        registry.register("cube.worker.memory.used.bytes", (Gauge<Long>) taskUsage::totalMemoryBytes);
        registry.registerAll("cube.jvm.memory", new MemoryUsageGaugeSet());
        registry.registerAll("cube.jvm.gc", new GarbageCollectorMetricSet());
        registry.registerAll("cube.jvm.threads", new ThreadStatesGaugeSet());
        registry.registerAll("cube.jvm.classes", new ClassLoadingGaugeSet());
        registry.register("cube.jvm.uptime.seconds",
                (Gauge<Long>) () -> ManagementFactory.getRuntimeMXBean().getUptime() / 1000);
        DropwizardExports.builder()
                .dropwizardRegistry(registry)
                .metricFilter((name, metric) -> !TaskUsage.isTaskMetric(name))
                .register(prometheus);
        prometheus.register(taskUsage);
        jmx = JmxReporter.forRegistry(registry).inDomain("cube").build();
        jmx.start();
    }

    public MetricRegistry registry() {
        return registry;
    }

    TaskUsage taskUsage() {
        return taskUsage;
    }

    public byte[] prometheusText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, prometheus.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return help.rewrite(out.toString(StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    public byte[] json() {
        try {
            return json.writeValueAsBytes(registry);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        jmx.stop();
    }
}
