package dev.cube.store;

import static dev.cube.store.Fixtures.MIB;
import static dev.cube.store.Fixtures.at;
import static dev.cube.store.Fixtures.place;
import static dev.cube.store.Fixtures.register;
import static dev.cube.store.Fixtures.spec;
import static dev.cube.store.Fixtures.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.Availability;
import dev.cube.model.PortMapping;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Command.SetWorkerAvailability;
import dev.cube.store.Fixtures.Driver;
import dev.cube.store.Outcome.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Drain and activate ({@code set-worker-availability}), and the placement fences that go with them. */
class WorkerAvailabilityTest {
    private final Driver d = new Driver();

    private static SetWorkerAvailability drain(String ref) {
        return new SetWorkerAvailability(ref, Availability.DRAIN, at(60));
    }

    private static SetWorkerAvailability activate(String ref) {
        return new SetWorkerAvailability(ref, Availability.ACTIVE, at(70));
    }

    @Test
    void drainingMovesTheRunningTasksAsANewAttemptAndLeavesStoppingAndFinishedOnesAlone() {
        d.accept(register("w-1", "s-1"));
        for (String name : List.of("run", "sched", "stopping", "done")) d.submitted("t-" + name, name);
        d.running("t-run", "w-1", "s-1");
        d.scheduled("t-sched", "w-1");
        d.running("t-stopping", "w-1", "s-1");
        d.accept(stop("t-stopping"));
        d.finished("t-done", "w-1", "s-1", TaskState.COMPLETED);
        long before = d.store.capacityVersion();

        JsonNode worker = d.accept(drain("w-1"));
        assertEquals("drain", worker.path("availability").asText());
        assertEquals("ready", worker.path("state").asText());
        assertTrue(d.store.capacityVersion() > before);

        for (String id : List.of("t-run", "t-sched")) {
            Task moved = d.task(id);
            assertEquals(TaskState.PENDING, moved.state(), id);
            assertEquals(2, moved.attempt(), id);
            assertEquals("w-1", moved.history().getFirst().workerId(), id);
            assertEquals(TaskState.STOPPED, moved.history().getFirst().state(), id);
            assertEquals(moved.reason().substring("rescheduling: ".length()), moved.history().getFirst().error(), id);
            assertEquals(null, moved.workerId(), id);
            assertTrue(moved.reason().contains("was drained"), moved.reason());
        }
        assertEquals(List.of("t-run", "t-sched"), d.store.pendingTasks(10).stream().map(Task::id).toList());
        assertEquals(TaskState.RUNNING, d.task("t-stopping").state());
        assertEquals(TaskState.COMPLETED, d.task("t-done").state());
        assertEquals(List.of("t-stopping"), d.store.assignments("w-1").stream().map(Task::id).toList());
    }

    @Test
    void aDrainedWorkerTakesNoPlacementUntilActivated() {
        d.accept(register("w-1", "s-1"));
        d.accept(drain("node-w-1"));   // by name
        Task task = d.submitted("t-1", "web");
        JsonNode refused = d.accept(place("t-1", "w-1", task.version()));
        assertEquals(0, refused.path("placed").asInt());
        assertTrue(refused.path("refused").get(0).asText().contains("draining"), refused::toString);

        assertEquals("active", d.accept(activate("w-1")).path("availability").asText());
        d.scheduled("t-1", "w-1");
    }

    @Test
    void aDrainOutlivesARestartOfTheWorker() {
        d.accept(register("w-1", "s-1"));
        d.accept(drain("w-1"));
        d.accept(register("w-1", "s-2"));
        assertEquals(Availability.DRAIN, d.store.worker("w-1").availability());
    }

    @Test
    void drainingTwiceChangesNothingAndAnUnknownWorkerIsNotFound() {
        d.accept(register("w-1", "s-1"));
        d.accept(drain("w-1"));
        long version = d.store.worker("w-1").updatedAt().toEpochMilli();
        d.accept(new SetWorkerAvailability("w-1", Availability.DRAIN, at(99)));
        assertEquals(version, d.store.worker("w-1").updatedAt().toEpochMilli());
        d.reject(drain("w-9"), Reason.NOT_FOUND);
        d.reject(activate("w-9"), Reason.NOT_FOUND);
    }

    @Test
    void aHostPortInUseOnTheWorkerRefusesThePlacementAndIsFreeAgainWhenItsTaskEnds() {
        d.accept(register("w-1", "s-1"));
        TaskSpec web = withPorts(spec("web", 0.1, 64 * MIB), new PortMapping(8080, 80, "tcp"));
        TaskSpec other = withPorts(spec("other", 0.1, 64 * MIB), new PortMapping(8080, 80, "tcp"));
        TaskSpec udp = withPorts(spec("dns", 0.1, 64 * MIB), new PortMapping(8080, 53, "udp"));
        d.submitted("t-web", web);
        d.running("t-web", "w-1", "s-1");
        assertEquals(java.util.Set.of("8080/tcp"), d.store.allocation("w-1").hostPorts());

        Task second = d.submitted("t-other", other);
        JsonNode refused = d.accept(place("t-other", "w-1", second.version()));
        assertEquals(0, refused.path("placed").asInt());
        assertTrue(refused.path("refused").get(0).asText().contains("port 8080/tcp is in use"), refused::toString);

        d.submitted("t-dns", udp);
        d.scheduled("t-dns", "w-1");   // the same number over udp is another port

        d.accept(stop("t-web"));
        d.accept(Fixtures.exited("t-web", "w-1", "s-1", TaskState.STOPPED, 137, null));
        d.scheduled("t-other", "w-1");
    }

    private static TaskSpec withPorts(TaskSpec s, PortMapping... ports) {
        return new TaskSpec(s.name(), s.image(), s.command(), s.env(), s.cpus(), s.memoryBytes(), List.of(ports),
                Map.of());
    }
}
