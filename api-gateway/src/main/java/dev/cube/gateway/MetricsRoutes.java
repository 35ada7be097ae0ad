package dev.cube.gateway;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.json.MetricsModule;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cube.store.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /metrics}: Prometheus text, or with {@code ?format=json} the Dropwizard JSON; with
 * {@code &prefix=cube.tasks.state} as well, only the metrics whose names start so (a poller that
 * wants a few gauges does not pay for every timer's snapshot).
 */
final class MetricsRoutes {
    private final MetricRegistry registry;
    private final PrometheusExposition prometheus;
    private final ObjectMapper dropwizardJson = Json.MAPPER.copy()
            .registerModule(new MetricsModule(TimeUnit.SECONDS, TimeUnit.MILLISECONDS, false));

    MetricsRoutes(MetricRegistry registry, PrometheusExposition prometheus) {
        this.registry = registry;
        this.prometheus = prometheus;
    }

    List<Route> routes() {
        return List.of(Route.get("/metrics", this::metrics));
    }

    private CompletableFuture<ApiResponse> metrics(ApiRequest request) {
        String format = request.query().get("format");
        String prefix = request.query().get("prefix");
        if (format == null || format.equals("prometheus") || format.equals("text")) {
            if (prefix != null) throw new ValidationException("prefix", "prefix needs format=json");
            return CompletableFuture.completedFuture(
                    new ApiResponse(200, PrometheusExposition.CONTENT_TYPE, prometheus.scrape(), Map.of()));
        }
        if (!format.equals("json")) {
            throw new ValidationException("format", "format must be json or prometheus, not '"
                    + JsonFields.abbreviate(format) + "'");
        }
        MetricRegistry shown = prefix == null ? registry : withPrefix(prefix);
        try {
            return CompletableFuture.completedFuture(
                    new ApiResponse(200, ApiResponse.JSON, dropwizardJson.writeValueAsBytes(shown), Map.of()));
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A registry holding the metrics whose names start with {@code prefix}, for one answer. */
    private MetricRegistry withPrefix(String prefix) {
        MetricRegistry some = new MetricRegistry();
        registry.getMetrics().forEach((name, metric) -> {
            if (name.startsWith(prefix)) some.register(name, metric);
        });
        return some;
    }
}
