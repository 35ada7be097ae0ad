package dev.cube.gateway;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * One Dropwizard timer per (method, route template, status), registered as
 * {@code cube.api.requests.<method>.<route>.<status>} (e.g. {@code cube.api.requests.get.tasks_ref.200}),
 * and exported to Prometheus as a single summary {@code cube_api_requests{method,route,status}} in
 * seconds. Dropwizard's own Prometheus bridge would turn each timer into a family of its own (and
 * refuses the same family name twice), so this class exports them itself and
 * {@link PrometheusExposition} leaves them out of the generic export.
 *
 * <p>Routes are templates ({@code /tasks/{ref}}), never raw paths, and methods outside the usual
 * few count as {@code other}: the number of series stays bounded.
 */
public final class RequestMetrics implements MultiCollector {
    public static final String PREFIX = "cube.api.requests";
    /** The route label of a request that matched no route. */
    public static final String UNMATCHED = "unmatched";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");
    private static final int LATENCY_WINDOW = 1028;
    private static final double NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

    private record Key(String method, String route, int status) {}

    private final MetricRegistry registry;
    private final ConcurrentMap<Key, Timer> timers = new ConcurrentHashMap<>();

    public RequestMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /** Counts one request that took {@code nanos} to answer. */
    public void record(String method, String routeTemplate, int status, long nanos) {
        Key key = new Key(METHODS.contains(method) ? method : "OTHER", routeTemplate, status);
        timers.computeIfAbsent(key, k -> registry.timer(dropwizardName(k), RequestMetrics::newTimer)).update(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Every request updates one: quantiles over the last {@value #LATENCY_WINDOW} requests of the series,
     * kept in an array. A decaying reservoir inserts most samples into a skip list: 2 % of a leader's
     * HTTP threads at 5,000 workers.
     */
    private static Timer newTimer() {
        return new Timer(new SlidingWindowReservoir(LATENCY_WINDOW));
    }

    static boolean isRequestTimer(String dropwizardName) {
        return dropwizardName.startsWith(PREFIX + ".");
    }

    private static String dropwizardName(Key key) {
        String route = key.route().replaceAll("[^A-Za-z0-9]+", "_").replaceAll("^_|_$", "");
        return MetricRegistry.name(PREFIX, key.method().toLowerCase(Locale.ROOT),
                route.isEmpty() ? "root" : route, Integer.toString(key.status()));
    }

    @Override
    public MetricSnapshots collect() {
        if (timers.isEmpty()) {
            return MetricSnapshots.of();
        }
        SummarySnapshot.Builder summary = SummarySnapshot.builder()
                .name("cube_api_requests")
                .help("HTTP requests answered by the gateway, by method, route template and status; "
                        + "latency in seconds");
        timers.forEach((key, timer) -> {
            Snapshot s = timer.getSnapshot();
            summary.dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder()
                    .labels(Labels.of("method", key.method(), "route", key.route(),
                            "status", Integer.toString(key.status())))
                    .count(timer.getCount())
                    .sum(sumSeconds(s, timer.getCount()))
                    .quantiles(Quantiles.builder()
                            .quantile(0.5, s.getMedian() / NANOS_PER_SECOND)
                            .quantile(0.95, s.get95thPercentile() / NANOS_PER_SECOND)
                            .quantile(0.99, s.get99thPercentile() / NANOS_PER_SECOND)
                            .build())
                    .build());
        });
        return MetricSnapshots.of(summary.build());
    }

    /** Dropwizard keeps no exact sum: estimate it from the reservoir's mean. */
    private static double sumSeconds(Snapshot snapshot, long count) {
        return snapshot.getMean() * count / NANOS_PER_SECOND;
    }

    @Override
    public java.util.List<String> getPrometheusNames() {
        return java.util.List.of("cube_api_requests");
    }
}
