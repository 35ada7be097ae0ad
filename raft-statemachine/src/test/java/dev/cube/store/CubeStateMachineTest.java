package dev.cube.store;

import static dev.cube.store.Fixtures.place;
import static dev.cube.store.Fixtures.register;
import static dev.cube.store.Fixtures.report;
import static dev.cube.store.Fixtures.stop;
import static dev.cube.store.Fixtures.submit;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.storage.RaftStorage.StartupOption;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(120)
class CubeStateMachineTest {

    @TempDir
    Path storage;

    private OnePeerCluster cluster;

    @AfterEach
    void tearDown() throws IOException {
        if (cluster != null) cluster.close();
    }

    private OnePeerCluster started() throws IOException {
        cluster = new OnePeerCluster(storage).start(StartupOption.FORMAT);
        return cluster;
    }

    private static JsonNode accepted(Outcome outcome) {
        return assertInstanceOf(Outcome.Accepted.class, outcome, outcome::toString).value();
    }

    @Test
    void aCommandIsAppliedAndAQueryReadsIt() throws Exception {
        OnePeerCluster c = started();
        AtomicInteger changes = new AtomicInteger();
        c.stateMachine().onChange(changes::incrementAndGet);

        JsonNode task = accepted(c.send(submit("t-1", "web")));
        assertEquals("t-1", task.get("id").asText());
        assertEquals("pending", task.get("state").asText());

        JsonNode read = c.read(new Query.GetTask("web"));
        assertEquals("t-1", read.get("id").asText());
        assertEquals("pending", read.get("state").asText());
        assertEquals(Json.MAPPER.readTree(Json.bytes(c.store().task("t-1"))), read);
        assertEquals(c.store().task("t-1").version(), read.get("version").asLong());
        assertEquals(1, changes.get());

        assertTrue(c.read(new Query.GetTask("nope")).isNull());
        assertEquals(1, c.read(new Query.ListTasks(null)).size());
        assertEquals(1, c.read(new Query.ListTasks("pending")).size());
        assertEquals(0, c.read(new Query.ListTasks("running")).size());

        accepted(c.send(register("w-1", "s-1")));
        assertEquals(2, changes.get());
        assertEquals("w-1", c.read(new Query.GetWorker("node-w-1")).get("id").asText());
        assertEquals(List.of("w-1"), c.read(new Query.ListWorkers()).findValuesAsText("id"));
        assertTrue(c.read(new Query.GetWorker("w-9")).isNull());
    }

    @Test
    void aRefusedCommandComesBackAsRejected() throws Exception {
        OnePeerCluster c = started();
        accepted(c.send(submit("t-1", "web")));
        var rejected = assertInstanceOf(Outcome.Rejected.class, c.send(submit("t-2", "web")));
        assertEquals(Outcome.Reason.CONFLICT, rejected.reason());
        assertEquals(1, c.store().tasks().size());
    }

    @Test
    void aSchedulingPassCountsOnlyInAnEntryOfTheTermItNames() throws Exception {
        OnePeerCluster c = started();
        accepted(c.send(register("w-1", "s-1")));
        accepted(c.send(submit("t-1", "web")));
        long version = c.store().task("t-1").version();
        List<Command.Placement> placement = List.of(new Command.Placement("t-1", "w-1", version));

        var stale = assertInstanceOf(Outcome.Rejected.class,
                c.send(new Command.PlaceTasks(placement, java.util.Map.of(), Fixtures.at(10), c.term() + 1)));
        assertEquals(Outcome.Reason.STALE, stale.reason());
        assertEquals(TaskState.PENDING, c.store().task("t-1").state());

        accepted(c.send(new Command.PlaceTasks(placement, java.util.Map.of(), Fixtures.at(10), c.term())));
        assertEquals(TaskState.SCHEDULED, c.store().task("t-1").state());
    }

    @Test
    void anUnreadableEntryIsRejectedAndTheLogGoesOn() throws Exception {
        OnePeerCluster c = started();
        var garbage = Message.valueOf(ByteString.copyFrom("{\"type\":\"launch-rocket\"}", StandardCharsets.UTF_8));
        Outcome outcome = Json.read(OnePeerCluster.bounded(() -> c.client().io().send(garbage))
                .getMessage().getContent().toByteArray(), Outcome.class);
        var rejected = assertInstanceOf(Outcome.Rejected.class, outcome);
        assertEquals(Outcome.Reason.INVALID, rejected.reason());

        accepted(c.send(submit("t-1", "web")));
        assertEquals(List.of("t-1"), c.store().tasks().stream().map(Task::id).toList());
    }

    @Test
    void anUnreadableQueryFails() throws Exception {
        OnePeerCluster c = started();
        var garbage = Message.valueOf(ByteString.copyFrom("not json", StandardCharsets.UTF_8));
        // A client that does not retry: the default policy would retry this failure 50 times.
        try (RaftClient once = c.newClient(RetryPolicies.noRetry())) {
            IOException e = assertThrows(IOException.class,
                    () -> OnePeerCluster.bounded(() -> once.io().sendReadOnly(garbage)));
            assertTrue(e.getMessage().contains("unreadable query"), e.getMessage());
        }
    }

    /** Submits, registers, places and runs: the commands every restart test replays. */
    private static void someHistory(OnePeerCluster c, String prefix) throws Exception {
        accepted(c.send(submit(prefix + "-1", prefix + "-web")));
        accepted(c.send(submit(prefix + "-2", prefix + "-api")));
        Task pending = c.store().task(prefix + "-1");
        accepted(c.send(place(prefix + "-1", "w-1", pending.version())));
        accepted(c.send(report(prefix + "-1", "w-1", "s-1", TaskState.RUNNING)));
        accepted(c.send(stop(prefix + "-2")));
    }

    private static void awaitSameStore(OnePeerCluster c, long version, List<Task> tasks, List<Worker> workers) {
        await().atMost(OnePeerCluster.TIMEOUT).untilAsserted(() -> assertEquals(version, c.store().version()));
        assertEquals(tasks, c.store().tasks());
        assertEquals(workers, c.store().workers());
    }

    @Test
    void aRestartReplaysTheLog() throws Exception {
        OnePeerCluster c = started();
        accepted(c.send(register("w-1", "s-1")));
        someHistory(c, "a");
        TaskStore before = c.store();
        c.stop();

        c.start(StartupOption.RECOVER);
        awaitSameStore(c, before.version(), before.tasks(), before.workers());
        assertEquals(before.allocation("w-1"), c.store().allocation("w-1"));
        assertEquals("a-1", c.read(new Query.GetTask("a-web")).get("id").asText());
    }

    @Test
    void aRestartLoadsASnapshotOfWorkersAndReplaysTheTasksAfterIt() throws Exception {
        OnePeerCluster c = started();
        accepted(c.send(register("w-1", "s-1")));
        long snapshotIndex = c.snapshot();
        assertTrue(snapshotIndex >= c.store().version(), "snapshot at " + snapshotIndex);
        someHistory(c, "b");
        TaskStore before = c.store();
        c.stop();

        c.start(StartupOption.RECOVER);
        SnapshotInfo loaded = c.stateMachine().getLatestSnapshot();
        assertNotNull(loaded);
        assertEquals(snapshotIndex, loaded.getIndex());
        awaitSameStore(c, before.version(), before.tasks(), before.workers());
        assertEquals(before.allocation("w-1"), c.store().allocation("w-1"));
    }

    @Test
    void aRestartLoadsASnapshotWithTasksAndReplaysTheLogAfterIt() throws Exception {
        OnePeerCluster c = started();
        accepted(c.send(register("w-1", "s-1")));
        someHistory(c, "a");
        long snapshotIndex = c.snapshot();
        someHistory(c, "b");
        TaskStore before = c.store();
        c.stop();

        c.start(StartupOption.RECOVER);
        SnapshotInfo loaded = c.stateMachine().getLatestSnapshot();
        assertNotNull(loaded);
        assertEquals(snapshotIndex, loaded.getIndex());
        awaitSameStore(c, before.version(), before.tasks(), before.workers());
        assertEquals(before.allocation("w-1"), c.store().allocation("w-1"));
        assertEquals("a-1", c.read(new Query.GetTask("a-web")).get("id").asText());
        assertEquals("b-1", c.read(new Query.GetTask("b-web")).get("id").asText());
    }
}
