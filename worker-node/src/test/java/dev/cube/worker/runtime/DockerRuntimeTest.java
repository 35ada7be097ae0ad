package dev.cube.worker.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cube.worker.runtime.ContainerRuntime.ContainerRequest;
import dev.cube.worker.runtime.ContainerRuntime.ContainerStatus;
import dev.cube.worker.runtime.ContainerRuntime.Port;
import dev.cube.worker.runtime.ContainerRuntime.RuntimeFailure;
import dev.cube.worker.runtime.DockerRuntime.ContainerDetails;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against the real dockerd of this machine, with the offline image built by ops/build-demo-image.sh. */
class DockerRuntimeTest {
    static final String IMAGE = "cube-demo:latest";
    static final Duration PULL_TIMEOUT = Duration.ofSeconds(10);

    static DockerRuntime runtime;
    String workerId;

    @BeforeAll
    static void requireImage() throws RuntimeFailure {
        runtime = new DockerRuntime(PULL_TIMEOUT);
        if (!runtime.imagePresent(IMAGE)) {
            fail("image " + IMAGE + " is missing: run ops/build-demo-image.sh first");
        }
    }

    @BeforeEach
    void uniqueWorker() {
        workerId = "test-" + UUID.randomUUID();
    }

    @AfterEach
    void removeContainers() throws RuntimeFailure {
        for (ContainerStatus c : runtime.list(workerId)) {
            runtime.stopAndRemove(c.containerId());
        }
        assertTrue(runtime.list(workerId).isEmpty());
    }

    ContainerRequest request(String name, List<String> command, double cpus, long memory, List<Port> ports) {
        String taskId = UUID.randomUUID().toString();
        return new ContainerRequest(workerId, taskId, 1, name, IMAGE, command, Map.of("GREETING", "hello"), cpus, memory,
                ports, Map.of("app", "demo"));
    }

    Optional<ContainerStatus> status(String containerId) throws RuntimeFailure {
        return runtime.list(workerId).stream().filter(c -> c.containerId().equals(containerId)).findFirst();
    }

    @Test
    void containersAreConfinedAndAlwaysLimited() throws Exception {
        String id = runtime.start(request("bare", List.of("sleep", "30"), 0, 0, List.of()));
        var host = runtime.hostConfig(id);
        assertEquals(Math.round(DockerRuntime.DEFAULT_CPUS * 1e9), host.getNanoCPUs(), "a default CPU limit");
        assertEquals(DockerRuntime.DEFAULT_MEMORY, host.getMemory(), "a default memory limit");
        assertEquals(DockerRuntime.DEFAULT_MEMORY, host.getMemorySwap(), "no swap beyond the limit");
        assertFalse(Boolean.TRUE.equals(host.getPrivileged()));
        assertEquals("bridge", host.getNetworkMode());
        assertTrue(host.getBinds() == null || host.getBinds().length == 0, "no host path is mounted");
        assertTrue(host.getCapAdd() == null || host.getCapAdd().length == 0, "no capability is added");
        assertTrue(host.getSecurityOpts() != null && host.getSecurityOpts().contains("no-new-privileges"),
                "setuid binaries cannot raise privileges: " + host.getSecurityOpts());
        assertFalse(Boolean.TRUE.equals(host.getPublishAllPorts()));
        assertTrue(host.getPidMode() == null || host.getPidMode().isEmpty(), "its own PID namespace");
    }

    @Test
    void startsWithLabelsAndLimitsThenStopsQuickly() throws Exception {
        ContainerRequest req = request("web", List.of("sleep", "30"), 0.5, 64L << 20, List.of());
        long t0 = System.nanoTime();
        String id = runtime.start(req);
        long startMs = (System.nanoTime() - t0) / 1_000_000;

        ContainerStatus s = status(id).orElseThrow();
        assertTrue(s.running());
        assertEquals(req.taskId(), s.taskId());
        assertNull(s.exitCode());

        ContainerDetails d = runtime.inspect(id).orElseThrow();
        assertEquals("cube-web-" + req.taskId().substring(0, 8) + "-" + req.workerId().substring(0, Math.min(8, req.workerId().length())), d.name());
        assertEquals(req.taskId(), d.labels().get(ContainerRuntime.TASK_ID_LABEL));
        assertEquals("web", d.labels().get(ContainerRuntime.TASK_NAME_LABEL));
        assertEquals(workerId, d.labels().get(ContainerRuntime.WORKER_LABEL));
        assertEquals("demo", d.labels().get("app"));
        assertEquals(500_000_000L, d.nanoCpus());
        assertEquals(64L << 20, d.memoryBytes());
        assertEquals(64L << 20, d.memorySwapBytes());
        assertTrue(d.init());
        assertFalse(d.privileged());
        assertEquals("bridge", d.networkMode());

        long t1 = System.nanoTime();
        runtime.stopAndRemove(id);
        long stopMs = (System.nanoTime() - t1) / 1_000_000;
        assertTrue(stopMs < 2_000, "stop took " + stopMs + " ms");
        assertTrue(status(id).isEmpty());
        assertTrue(runtime.inspect(id).isEmpty());
        runtime.stopAndRemove(id); // a missing container is not an error
        System.out.printf("MEASURE create+start %d ms, stop+remove %d ms%n", startMs, stopMs);
    }

    @Test
    void exitedContainerShowsItsExitCodeAndWakesTheWatcher() throws Exception {
        AtomicInteger changes = new AtomicInteger();
        try (DockerRuntime watching = new DockerRuntime(PULL_TIMEOUT)) {
            watching.watch(workerId, changes::incrementAndGet);
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() >= 1); // connected
            int before = changes.get();
            String id = runtime.start(request("exit3", List.of("sh", "-c", "exit 3"), 0, 0, List.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> status(id).map(c -> !c.running()).orElse(false));
            ContainerStatus s = status(id).orElseThrow();
            assertEquals(3, s.exitCode());
            assertNull(s.error());
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() > before);
        }
    }

    @Test
    void oomKillIsReportedAsSuch() throws Exception {
        String id = runtime.start(request("hog", List.of("tail", "/dev/zero"), 0, 16L << 20, List.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> status(id).map(c -> !c.running()).orElse(false));
        ContainerStatus s = status(id).orElseThrow();
        assertEquals(137, s.exitCode());
        assertEquals("OOM killed", s.error());
    }

    @Test
    void missingImageFailsWithinThePullTimeout() {
        for (String image : List.of("cube-missing:1", "nginx:latest")) {
            ContainerRequest base = request("nope", List.of(), 0, 0, List.of());
            ContainerRequest req = new ContainerRequest(workerId, base.taskId(), 1, "nope", image, List.of(), Map.of(), 0,
                    0, List.of(), Map.of());
            long t0 = System.nanoTime();
            RuntimeFailure e = assertThrows(RuntimeFailure.class, () -> runtime.start(req));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().startsWith("image '" + image + "' is not present on this worker and could not be pulled: "),
                    e.getMessage());
            assertTrue(ms < PULL_TIMEOUT.toMillis() + 3_000, "took " + ms + " ms");
            System.out.printf("MEASURE unpullable %s failed in %d ms: %s%n", image, ms, e.getMessage());
        }
    }

    @Test
    void aRegistryThatHangsIsBoundedByThePullTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0); DockerRuntime impatient = new DockerRuntime(Duration.ofSeconds(2))) {
            List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofVirtual().start(() -> { // accepts and never answers
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            String image = "127.0.0.1:" + silent.getLocalPort() + "/cube/hang:1";
            ContainerRequest req = new ContainerRequest(workerId, UUID.randomUUID().toString(), 1, "hang", image,
                    List.of(), Map.of(), 0, 0, List.of(), Map.of());
            long t0 = System.nanoTime();
            RuntimeFailure e = assertThrows(RuntimeFailure.class, () -> impatient.start(req));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(e.getMessage().contains(image), e.getMessage());
            assertTrue(ms < 5_000, "took " + ms + " ms");
            System.out.printf("MEASURE hanging registry failed in %d ms: %s%n", ms, e.getMessage());
            for (java.net.Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void portsArePublishedAndAConflictIsARuntimeFailure() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String first = runtime.start(request("p1", List.of("sleep", "30"), 0, 0,
                List.of(new Port(port, 80, "tcp"), new Port(0, 81, "tcp"))));
        ContainerDetails d = runtime.inspect(first).orElseThrow();
        assertEquals(port, d.hostPortByContainerPort().get(80));
        assertTrue(d.hostPortByContainerPort().get(81) > 0, "Docker chose a port for hostPort 0: " + d);

        ContainerRequest second = request("p2", List.of("sleep", "30"), 0, 0, List.of(new Port(port, 80, "tcp")));
        RuntimeFailure e = assertThrows(RuntimeFailure.class, () -> runtime.start(second));
        assertTrue(e.getMessage().contains("p2") && e.getMessage().contains(String.valueOf(port)), e.getMessage());
        assertTrue(e.getMessage().endsWith("."), e.getMessage());
        assertTrue(runtime.list(workerId).stream().noneMatch(c -> second.taskId().equals(c.taskId())),
                "the container that could not start is removed");
        System.out.println("MEASURE port conflict message: " + e.getMessage());
    }

    @Test
    void capacityComesFromTheEngine() throws RuntimeFailure {
        var c = runtime.capacity();
        assertTrue(c.cpus() >= 1);
        assertTrue(c.memoryBytes() > 0);
    }

    @Test
    void referencesAreSplitIntoRepositoryAndTag() {
        assertEquals(List.of("nginx", "latest"), List.of(DockerRuntime.splitReference("nginx")));
        assertEquals(List.of("localhost:5000/a/b", "1.2"), List.of(DockerRuntime.splitReference("localhost:5000/a/b:1.2")));
        assertEquals(List.of("localhost:5000/a", "latest"), List.of(DockerRuntime.splitReference("localhost:5000/a")));
    }

    @Test
    void dockerMessagesBecomeSentences() {
        var e = new RuntimeException("Status 500: {\"message\":\"driver failed: port is already allocated\"}\n");
        assertEquals("driver failed: port is already allocated", DockerRuntime.dockerMessage(e));
        assertEquals("Port taken.", DockerRuntime.sentence("port taken"));
    }

    @org.junit.jupiter.api.AfterAll
    static void closeRuntime() {
        runtime.close();
    }
}
