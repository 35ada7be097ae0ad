package dev.cube.worker;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.manager.ManagerNode;
import dev.cube.manager.config.ManagerConfig;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import dev.cube.store.Json;
import dev.cube.testing.LoopbackPorts;
import dev.cube.tls.ClusterCa;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real manager with HTTPS, API tokens and a join token, and a worker agent (fake container
 * runtime) that joins it over HTTPS with the join token. Workers that present no or a wrong token,
 * stale sessions and lying workers are refused.
 */
class SecuredClusterTest {
    private static final String OPERATOR = "secured-operator-token-0123456789";
    private static final String JOIN = "secured-join-token-0123456789";

    @TempDir
    Path dir;

    private ManagerNode manager;
    private WorkerAgent agent;
    private SSLContext tls;
    private List<URI> urls;
    private HttpClient http;

    @BeforeEach
    void start() throws Exception {
        Path certs = dir.resolve("certs");
        Process p = new ProcessBuilder(Path.of("..", "ops", "make-certs.sh").toAbsolutePath().normalize().toString(),
                "--dir", certs.toString(), "m1").redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        int[] ports = LoopbackPorts.distinct(2);
        int api = ports[0];
        int raft = ports[1];
        ManagerConfig d = ManagerConfig.defaults();
        ManagerConfig config = new ManagerConfig("m1", new ManagerConfig.Endpoint("127.0.0.1", api),
                new ManagerConfig.Endpoint("127.0.0.1", raft),
                List.of(new ManagerConfig.Member("m1", "127.0.0.1:" + raft, "127.0.0.1:" + api)),
                new ManagerConfig.Storage(dir.resolve("manager").toString()),
                new ManagerConfig.Scheduler(Duration.ofMillis(500)), new ManagerConfig.Workers(Duration.ofSeconds(30)),
                d.snapshots())
                .withSecurity(new ManagerConfig.Auth(List.of(new ManagerConfig.Token("ops", OPERATOR, "operator")), JOIN),
                        new ManagerConfig.Tls(certs.resolve("m1.pem").toString(), certs.resolve("m1.key").toString(),
                                certs.resolve("ca.pem").toString()));
        manager = new ManagerNode(config).start();
        assertTrue(manager.raft().awaitLeader(Duration.ofSeconds(30)));
        tls = ClusterCa.sslContext(certs.resolve("ca.pem"));
        urls = List.of(URI.create("https://127.0.0.1:" + api));
        http = HttpClient.newBuilder().sslContext(tls).build();
    }

    @AfterEach
    void stop() throws Exception {
        if (agent != null) agent.close();
        if (manager != null) manager.close();
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(urls.getFirst() + path))
                .header("Authorization", "Bearer " + OPERATOR)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() < 300, method + " " + path + ": " + r.statusCode() + " " + r.body());
        return Json.MAPPER.readTree(r.body());
    }

    private static Registration registration(String id, double cpus, long memory) {
        return registration(id, cpus, memory, id + "-secret-0123456789abcdef0123456789");
    }

    private static Registration registration(String id, double cpus, long memory, String secret) {
        return new Registration(id, id, "host", cpus, memory, Map.of(), null, secret);
    }

    @Test
    void workerJoinsOverHttpsWithTheJoinTokenAndRunsATask() throws Exception {
        FakeContainerRuntime runtime = new FakeContainerRuntime();
        agent = new WorkerAgent(new WorkerSettings(urls, "w-secure", dir.resolve("worker"), 2, 1L << 30, Map.of(),
                Duration.ofMillis(300), Duration.ofSeconds(2), JOIN, dir.resolve("certs").resolve("ca.pem")), runtime);
        agent.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> call("GET", "/workers", null).size() == 1);
        JsonNode listed = call("GET", "/workers", null).get(0);
        assertEquals("ready", listed.path("state").asText());
        assertTrue(listed.path("session").isMissingNode(), "GET /workers shows no session: " + listed);

        call("POST", "/tasks", "{\"name\":\"secure-task\",\"image\":\"cube-demo:latest\"}");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> call("GET", "/tasks/secure-task", null).path("state").asText().equals("running"));
    }

    @Test
    void noOrWrongJoinTokenIsRefused() {
        for (String token : new String[] {null, "wrong-join-token-0123456789", OPERATOR.replace('o', '0')}) {
            ManagerClient client = new ManagerClient(urls, token, tls);
            ManagerClient.StatusException refused = assertThrows(ManagerClient.StatusException.class,
                    () -> client.register(registration("w-intruder", 1, 1L << 30)));
            assertEquals(401, refused.status());
        }
    }

    @Test
    void staleSessionsLyingWorkersAndImpostorsAreRefused() throws Exception {
        ManagerClient worker = new ManagerClient(urls, JOIN, tls);
        Worker first = worker.register(registration("w-liar", 2, 1L << 30));
        Worker second = worker.register(registration("w-liar", 2, 1L << 30));
        assertNotEquals(first.session(), second.session());
        assertTrue(worker.heartbeat("w-liar", second.session()));
        assertTrue(!worker.heartbeat("w-liar", first.session()), "an older incarnation's heartbeat is refused");

        JsonNode task = call("POST", "/tasks", "{\"name\":\"held-elsewhere\",\"image\":\"cube-demo:latest\","
                + "\"memory\":\"2g\"}");   // more than w-liar offers: stays pending, assigned to nobody
        String taskId = task.path("id").asText();
        assertEquals(ManagerClient.ReportResult.REFUSED, worker.report("w-liar", taskId,
                new StatusReport(second.session(), TaskState.RUNNING, "c1", null, null)));
        assertEquals(ManagerClient.ReportResult.REFUSED, worker.report("w-liar", taskId,
                new StatusReport(first.session(), TaskState.FAILED, "c1", 1, "lie")));
        var after = manager.raft().stateMachine().store().task(taskId);
        assertEquals(TaskState.PENDING, after.state(), "a refused report changes nothing");
        assertEquals(null, after.workerId());
        assertEquals(null, after.containerId());

        ManagerClient.StatusException absurd = assertThrows(ManagerClient.StatusException.class,
                () -> worker.register(registration("w-liar", 1e9, Long.MAX_VALUE)));
        assertEquals(400, absurd.status());
        assertEquals(2.0, manager.raft().stateMachine().store().worker("w-liar").cpus());

        ManagerClient.StatusException impostor = assertThrows(ManagerClient.StatusException.class,
                () -> worker.register(registration("w-liar", 2, 1L << 30, WorkerIdentity.newSecret())));
        assertEquals(403, impostor.status(), "the join token does not let a worker take another's id");
        assertEquals(second.session(), manager.raft().stateMachine().store().worker("w-liar").session());

        HttpResponse<String> operatorRoute = http.send(HttpRequest.newBuilder(URI.create(urls.getFirst() + "/tasks"))
                .header("Authorization", "Bearer " + JOIN).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, operatorRoute.statusCode(), "the join token opens no operator route");
    }
}
