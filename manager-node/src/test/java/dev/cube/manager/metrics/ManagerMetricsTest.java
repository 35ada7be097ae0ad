package dev.cube.manager.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.store.Json;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One registry, three views: Prometheus text, Dropwizard JSON and JMX, on a real manager. */
class ManagerMetricsTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private String get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void tasksByStateShowInPrometheusJsonAndJmx() throws Exception {
        int raftPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            raftPort = s.getLocalPort();
        }
        ManagerConfig d = ManagerConfig.defaults();
        ManagerConfig config = new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", 0),
                new ManagerConfig.Endpoint("127.0.0.1", raftPort),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + raftPort, "127.0.0.1:0")),
                new ManagerConfig.Storage(dir.toString()), d.scheduler(), d.workers(), d.snapshots());
        try (ManagerNode node = new ManagerNode(config).start()) {
            int port = node.apiPort();
            await().atMost(Duration.ofSeconds(20)).until(() -> get(port, "/health").contains("\"ok\""));
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tasks"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m\",\"image\":\"img\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());

            await().atMost(Duration.ofSeconds(10)).until(() -> get(port, "/metrics").contains("cube_tasks_state_pending 1.0"));
            String text = get(port, "/metrics");
            assertTrue(text.contains("# TYPE cube_tasks_state_pending gauge"), text);
            assertTrue(text.contains("# HELP cube_workers_state_ready Workers in this state"), text);
            assertTrue(!text.contains("Generated from Dropwizard"), "every HELP line is a description");
            assertTrue(text.contains("cube_api_requests_count{method=\"POST\",route=\"/tasks\",status=\"201\"} 1"), text);
            assertTrue(text.contains("cube_raft_leader 1.0"), text);
            MetricFamilies families = new MetricFamilies(text);
            families.assertValue("cube_tasks_state_pending", "gauge", v -> v == 1);
            families.assertValue("cube_tasks_state_running", "gauge", v -> v == 0);
            families.assertValue("cube_workers_state_ready", "gauge", v -> v == 0);
            families.assertValue("cube_raft_role", "gauge", v -> v == 2);
            families.assertValue("cube_raft_term", "gauge", v -> v >= 1);
            families.assertValue("cube_raft_commit_index", "gauge", v -> v >= 2);
            families.assertValue("cube_raft_applied_index", "gauge", v -> v >= 2);
            families.assertValue("cube_raft_log_last_index", "gauge", v -> v >= 2);
            families.assertValue("cube_raft_leader_changes_total", "counter", v -> v >= 1);
            families.assertValue("cube_store_version", "gauge", v -> v >= 2);
            families.assertValue("cube_events_buffered", "gauge", v -> v >= 1);
            families.assertValue("cube_events_last_index", "gauge", v -> v >= 2);
            families.assertValue("cube_events_subscribers", "gauge", v -> v == 0);
            families.assertValue("cube_scheduler_placements_total", "counter", v -> v == 0);
            families.assertValue("cube_tasks_placed_total", "counter", v -> v == 0);
            families.assertValue("cube_scheduler_passes_count", "summary", v -> v >= 1);
            families.assertValue("cube_tasks_rescheduled_total", "counter", v -> v == 0);
            families.assertValue("cube_tasks_finished_failed_total", "counter", v -> v == 0);
            families.assertValue("cube_workers_heartbeats_total", "counter", v -> v == 0);
            families.assertValue("cube_tasks_latency_submitted_to_scheduled_count", "summary", v -> v == 0);
            families.assertValue("cube_tasks_latency_scheduled_to_running_count", "summary", v -> v == 0);
            families.assertValue("cube_tasks_latency_submitted_to_running_count", "summary", v -> v == 0);
            families.assertValue("cube_api_requests_count", "summary", v -> v >= 1);
            families.assertValue("cube_jvm_memory_heap_used", "gauge", v -> v > 1_000_000);
            families.assertValue("cube_jvm_threads_count", "gauge", v -> v > 5);
            families.assertValue("cube_jvm_classes_loaded", "gauge", v -> v > 1000);
            families.assertValue("cube_jvm_uptime_seconds", "gauge", v -> v >= 0);

            assertEquals(1, Json.MAPPER.readTree(get(port, "/metrics?format=json"))
                    .path("gauges").path("cube.tasks.state.pending").path("value").asInt());

            var server = ManagementFactory.getPlatformMBeanServer();
            var names = server.queryNames(new ObjectName("cube:name=cube.tasks.state.pending,*"), null);
            assertEquals(1, names.size(), "the gauge is one MBean in the cube domain: " + names);
            Object jmx = server.getAttribute(names.iterator().next(), "Value");
            assertEquals(1L, ((Number) jmx).longValue());
            assertTrue(server.getDomains().length > 0 && java.util.Arrays.asList(server.getDomains()).contains("ratis"),
                    "Ratis's own metrics stay visible over JMX: " + java.util.Arrays.toString(server.getDomains()));
        }
    }
}
