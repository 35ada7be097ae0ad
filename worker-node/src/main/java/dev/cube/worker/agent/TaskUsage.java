package dev.cube.worker.agent;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.cube.worker.runtime.ContainerRuntime.Usage;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest resource sample of each task's container on this worker. In the Dropwizard registry as
 * {@code cube.task.<taskId>.cpu.cores|cpu.seconds|memory.bytes|memory.limit.bytes} (for JSON and
 * JMX); in Prometheus as labelled families {@code cube_task_cpu_cores{task,name}} and so on, so the
 * number of families stays fixed as tasks come and go.
 */
public final class TaskUsage implements MultiCollector {
    public static final String PREFIX = "cube.task.";

    record Sample(String taskId, String taskName, Usage usage) {}

    private final MetricRegistry registry;
    private final Map<String, Sample> latest = new ConcurrentHashMap<>();

    public TaskUsage(MetricRegistry registry) {
        this.registry = registry;
    }

    static boolean isTaskMetric(String dropwizardName) {
        return dropwizardName.startsWith(PREFIX);
    }

    void update(String taskId, String taskName, Usage usage) {
        if (latest.put(taskId, new Sample(taskId, taskName, usage)) == null) {
            gauge(taskId, "cpu.cores", s -> s.usage().cpuCores());
            gauge(taskId, "cpu.seconds", s -> s.usage().cpuSeconds());
            gauge(taskId, "memory.bytes", s -> (double) s.usage().memoryBytes());
            gauge(taskId, "memory.limit.bytes", s -> (double) s.usage().memoryLimitBytes());
        }
    }

    /** Forgets the tasks not in {@code running}. */
    void retain(Set<String> running) {
        for (String taskId : List.copyOf(latest.keySet())) {
            if (!running.contains(taskId)) {
                latest.remove(taskId);
                registry.removeMatching((name, metric) -> name.startsWith(PREFIX + taskId + "."));
            }
        }
    }

    int count() {
        return latest.size();
    }

    double totalCpuCores() {
        return latest.values().stream().mapToDouble(s -> s.usage().cpuCores()).sum();
    }

    long totalMemoryBytes() {
        return latest.values().stream().mapToLong(s -> s.usage().memoryBytes()).sum();
    }

    private void gauge(String taskId, String what, java.util.function.ToDoubleFunction<Sample> value) {
        registry.register(PREFIX + taskId + "." + what, (Gauge<Double>) () -> {
            Sample s = latest.get(taskId);
            return s == null ? 0.0 : value.applyAsDouble(s);
        });
    }

    @Override
    public MetricSnapshots collect() {
        GaugeSnapshot.Builder cores = GaugeSnapshot.builder().name("cube_task_cpu_cores")
                .help("CPU in use by the task's container over the last sample, in cores");
        CounterSnapshot.Builder seconds = CounterSnapshot.builder().name("cube_task_cpu_seconds")
                .help("CPU time used by the task's container since it started, in seconds");
        GaugeSnapshot.Builder memory = GaugeSnapshot.builder().name("cube_task_memory_bytes")
                .help("Memory in use by the task's container, page cache excluded, in bytes");
        GaugeSnapshot.Builder limit = GaugeSnapshot.builder().name("cube_task_memory_limit_bytes")
                .help("Memory limit of the task's container, in bytes");
        for (Sample s : latest.values()) {
            Labels labels = Labels.of("task", s.taskId(), "name", s.taskName() == null ? "" : s.taskName());
            cores.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(s.usage().cpuCores()).build());
            seconds.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels)
                    .value(s.usage().cpuSeconds()).build());
            memory.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                    .value(s.usage().memoryBytes()).build());
            limit.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                    .value(s.usage().memoryLimitBytes()).build());
        }
        return MetricSnapshots.of(cores.build(), seconds.build(), memory.build(), limit.build());
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of("cube_task_cpu_cores", "cube_task_cpu_seconds", "cube_task_memory_bytes",
                "cube_task_memory_limit_bytes");
    }
}
