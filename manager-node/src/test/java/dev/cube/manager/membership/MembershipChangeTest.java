package dev.cube.manager.membership;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.store.Json;
import dev.cube.testing.LoopbackPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A manager joins a running quorum through POST /managers and leaves through DELETE /managers/{id}. */
class MembershipChangeTest {
    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    private record Addresses(String id, int api, int raft) {
        ManagerConfig.Member member() {
            return new ManagerConfig.Member(id, "127.0.0.1:" + raft, "127.0.0.1:" + api);
        }
    }

    private ManagerConfig config(Addresses self, List<Addresses> quorum) {
        ManagerConfig d = ManagerConfig.defaults();
        return new ManagerConfig(self.id(), new ManagerConfig.Endpoint("127.0.0.1", self.api()),
                new ManagerConfig.Endpoint("127.0.0.1", self.raft()), quorum.stream().map(Addresses::member).toList(),
                new ManagerConfig.Storage(dir.resolve(self.id()).toString()), d.scheduler(), d.workers(), d.snapshots());
    }

    private HttpResponse<String> send(String method, int port, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(70))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode managers(int port) throws Exception {
        return Json.MAPPER.readTree(send("GET", port, "/managers", null).body()).path("managers");
    }

    @Test
    void aSecondManagerJoinsCatchesUpAndLeaves() throws Exception {
        int[] ports = LoopbackPorts.distinct(4);
        Addresses m1 = new Addresses("m1", ports[0], ports[1]);
        Addresses m2 = new Addresses("m2", ports[2], ports[3]);
        try (ManagerNode first = new ManagerNode(config(m1, List.of(m1))).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> send("GET", m1.api(), "/health", null).statusCode() == 200);
            assertEquals(201, send("POST", m1.api(), "/tasks", "{\"name\":\"before\",\"image\":\"img\"}").statusCode());

            try (ManagerNode second = new ManagerNode(config(m2, List.of(m1, m2))).start()) {
                HttpResponse<String> joined = send("POST", m1.api(), "/managers",
                        "{\"id\":\"m2\",\"raft\":\"127.0.0.1:" + m2.raft() + "\",\"api\":\"127.0.0.1:" + m2.api() + "\"}");
                assertEquals(201, joined.statusCode(), joined.body());

                await().atMost(Duration.ofSeconds(20)).until(() -> managers(m1.api()).size() == 2);
                JsonNode list = managers(m1.api());
                assertEquals("leader", list.get(0).path("role").asText(), list.toString());
                assertEquals("follower", list.get(1).path("role").asText(), list.toString());
                // The newcomer caught up and serves linearizable reads.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> send("GET", m2.api(), "/tasks/before", null).statusCode() == 200);

                assertEquals(200, send("DELETE", m1.api(), "/managers/m2", null).statusCode());
                await().atMost(Duration.ofSeconds(20)).until(() -> managers(m1.api()).size() == 1);
                assertEquals(201, send("POST", m1.api(), "/tasks", "{\"name\":\"after\",\"image\":\"img\"}").statusCode());
                assertEquals(404, send("DELETE", m1.api(), "/managers/m2", null).statusCode());
            }
        }
    }
}
