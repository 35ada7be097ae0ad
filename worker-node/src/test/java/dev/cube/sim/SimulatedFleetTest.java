package dev.cube.sim;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.manager.config.ManagerConfig;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.worker.WorkerIdentity;
import dev.cube.worker.sim.SimulatedFleet;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 50 simulated workers against a real manager: 500 tasks submitted in bulk all run, spread over the fleet. */
class SimulatedFleetTest {

    @Test
    void everyTaskRunsOnTheSimulatedFleet(@TempDir Path dir) throws Exception {
        try (OneManager manager = new OneManager(dir);
             SimulatedFleet fleet = new SimulatedFleet(new SimulatedFleet.Settings(List.of(URI.create(manager.url())),
                     50, "sim", 2, 4L << 30, Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(5), 0, null)).start();
             HttpClient http = HttpClient.newHttpClient()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> manager.store().workers().size() == 50);

            for (String name : List.of("batch-a", "batch-b")) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(manager.url() + "/tasks"))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name
                                + "\",\"image\":\"cube-demo:latest\",\"cpus\":0.1,\"memory\":\"64m\",\"count\":250}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(201, r.statusCode(), r.body());
            }

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> manager.store().count(TaskState.RUNNING) == 500);
            for (String workerId : fleet.workerIds()) {
                List<Task> tasks = manager.store().assignments(workerId);
                assertEquals(10, tasks.size(), workerId + " holds its share (least allocated first)");
                assertTrue(tasks.stream().allMatch(t -> t.containerId().startsWith("simulated-")));
            }
            assertTrue(fleet.counters().reportsAccepted() > 0, "the reports went in bulk");
            assertEquals(50, fleet.counters().workersRegistered());
        }
    }

    @Test
    void aFleetJoinsWithTheJoinTokenAndNotWithout(@TempDir Path dir) throws Exception {
        String join = "fleet-join-token-0123456789";
        ManagerConfig.Auth auth = new ManagerConfig.Auth(
                List.of(new ManagerConfig.Token("ops", "fleet-operator-token-0123456789", "operator")), join);
        try (OneManager manager = new OneManager(dir, auth);
             SimulatedFleet intruders = fleet(manager, "intruder", null);
             SimulatedFleet members = fleet(manager, "member", join)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> manager.store().workers().size() == 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> intruders.counters().failures() >= 3);
            assertTrue(manager.store().workers().stream().allMatch(w -> w.id().startsWith("member-")),
                    "only the fleet with the join token registered: " + manager.store().workers());
            assertEquals(0, intruders.counters().workersRegistered());
        }
    }

    @Test
    void aFleetStartedAgainWithItsSecretFileTakesItsIdsBack(@TempDir Path dir) throws Exception {
        Path secretFile = dir.resolve("fleet").resolve("fleet-secret");
        try (OneManager manager = new OneManager(dir.resolve("manager"))) {
            String secret = WorkerIdentity.loadOrCreateSecret(secretFile);
            assertEquals(secret, WorkerIdentity.loadOrCreateSecret(secretFile), "the file keeps the secret");
            assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                    Files.getPosixFilePermissions(secretFile));
            try (SimulatedFleet first = fleet(manager, "again", null, secret)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> first.counters().workersRegistered() == 3);
            }
            try (SimulatedFleet withoutTheSecret = fleet(manager, "again", null, null)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> withoutTheSecret.counters().failures() >= 3);
                assertEquals(0, withoutTheSecret.counters().workersRegistered(), "the ids are bound to the first secrets");
            }
            try (SimulatedFleet second = fleet(manager, "again", null, secret)) {
                await().atMost(Duration.ofSeconds(30)).until(() -> second.counters().workersRegistered() == 3);
            }
            assertEquals(3, manager.store().workers().size(), "the same three workers, no new ids");
        }
    }

    private static SimulatedFleet fleet(OneManager manager, String prefix, String joinToken) {
        return fleet(manager, prefix, joinToken, null);
    }

    private static SimulatedFleet fleet(OneManager manager, String prefix, String joinToken, String fleetSecret) {
        return new SimulatedFleet(new SimulatedFleet.Settings(List.of(URI.create(manager.url())), 3, prefix, 2,
                4L << 30, Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(5), 0, joinToken, fleetSecret)).start();
    }
}
