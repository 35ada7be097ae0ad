package dev.cube.manager.quorum;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.store.Json;
import dev.cube.tls.ClusterCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three managers with TLS on: mutual TLS over Raft gRPC and HTTPS on the API, with certificates
 * made by ops/make-certs.sh, and API tokens required. A write sent to a follower travels to the
 * leader over TLS and is applied on every manager.
 */
class TlsQuorumTest {
    private static final String OPERATOR = "tls-test-operator-token-0123456789";
    private static final String JOIN = "tls-test-join-token-0123456789";

    @TempDir
    static Path certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        Path script = Path.of("..", "ops", "make-certs.sh").toAbsolutePath().normalize();
        for (String name : List.of("m1", "m2", "m3")) {
            Process p = new ProcessBuilder(script.toString(), "--dir", certs.toString(), name)
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "make-certs.sh did not finish");
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        }
        assertTrue(Files.isReadable(certs.resolve("ca.pem")));
    }

    private static ManagerConfig secured(ManagerConfig config) {
        Path dir = certs;
        return config.withSecurity(
                new ManagerConfig.Auth(List.of(new ManagerConfig.Token("ops", OPERATOR, "operator")), JOIN),
                new ManagerConfig.Tls(dir.resolve(config.id() + ".pem").toString(),
                        dir.resolve(config.id() + ".key").toString(), dir.resolve("ca.pem").toString()));
    }

    @Test
    void quorumReplicatesOverTlsAndServesHttps(@TempDir Path dir) throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(ClusterCa.sslContext(certs.resolve("ca.pem")))
                .connectTimeout(Duration.ofSeconds(5)).build();
        try (QuorumHarness quorum = new QuorumHarness(dir, 10_000, TlsQuorumTest::secured)) {
            quorum.startAll();
            int leader = quorum.awaitLeader();
            int follower = quorum.followerIndex(leader);
            String api = "https://127.0.0.1:" + quorum.node(follower).apiPort();

            HttpResponse<String> created = https.send(HttpRequest.newBuilder(URI.create(api + "/tasks"))
                    .header("Authorization", "Bearer " + OPERATOR)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"over-tls\",\"image\":\"cube-demo:latest\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, created.statusCode(), created.body());
            for (int i = 0; i < QuorumHarness.SIZE; i++) {
                int index = i;
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> QuorumHarness.names(quorum.store(index)).contains("over-tls"));
            }

            HttpResponse<String> anonymous = https.send(HttpRequest.newBuilder(URI.create(api + "/tasks")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, anonymous.statusCode());

            // Every member answers the follower's HTTPS health probe: none is "unreachable".
            JsonNode managers = Json.MAPPER.readTree(https.send(HttpRequest.newBuilder(URI.create(api + "/managers"))
                    .header("Authorization", "Bearer " + OPERATOR).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(3, managers.path("managers").size(), managers.toString());
            managers.path("managers").forEach(m -> assertTrue(
                    List.of("leader", "follower").contains(m.path("role").asText()), managers.toString()));

            HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + quorum.node(follower).apiPort() + "/health"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()));
        }
    }
}
