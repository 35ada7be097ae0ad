package dev.cube.store;

import static dev.cube.store.Fixtures.at;
import static dev.cube.store.Fixtures.register;
import static dev.cube.store.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.store.Command.NewTask;
import dev.cube.store.Command.ReportTaskStatuses;
import dev.cube.store.Command.StatusUpdate;
import dev.cube.store.Command.SubmitReplicas;
import dev.cube.store.Command.SubmitTasks;
import dev.cube.store.Fixtures.Driver;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bulk commands: many tasks in one entry (all or none), replicas, many status reports in one entry. */
class BulkCommandsTest {
    private final Driver d = new Driver();

    @Test
    void submitsManyTasksInOneEntry() {
        JsonNode value = d.accept(new SubmitTasks(List.of(new NewTask("t-1", spec("web")), new NewTask("t-2", spec("api"))),
                at(1)));
        assertEquals(2, value.get("submitted").asInt());
        assertEquals("t-2", value.get("tasks").get(1).get("id").asText());
        assertEquals(TaskState.PENDING, d.task("web").state());
        assertEquals(1, d.task("api").version(), "both at the index of the one entry");
        assertEquals(List.of("t-1", "t-2"), d.store.pendingTasks(10).stream().map(Task::id).toList());
    }

    @Test
    void aNameInUseRefusesTheWholeBatch() {
        d.submitted("t-0", "api");
        Outcome.Rejected rejected = d.reject(new SubmitTasks(List.of(new NewTask("t-1", spec("web")),
                new NewTask("t-2", spec("api"))), at(1)), Outcome.Reason.CONFLICT);
        assertTrue(rejected.message().startsWith("[1]: task name 'api' is in use"), rejected.message());
        assertNull(d.task("t-1"), "all or none");
        d.reject(new SubmitTasks(List.of(new NewTask("t-3", spec("db")), new NewTask("t-4", spec("db"))), at(1)),
                Outcome.Reason.CONFLICT);
        assertNull(d.task("db"));
    }

    @Test
    void replicasAreNamedAndIdentifiedDeterministically() {
        JsonNode value = d.accept(new SubmitReplicas("seed", spec("web"), 3, at(1)));
        assertEquals(3, value.get("submitted").asInt());
        assertEquals("web-3", value.get("last").get("name").asText());
        for (int i = 1; i <= 3; i++) {
            Task task = d.task("web-" + i);
            assertEquals(SubmitReplicas.replicaId("seed", i), task.id());
            assertEquals("web-" + i, task.name());
            assertEquals("web", task.spec().name(), "replicas share the spec as submitted");
            assertEquals(spec("web").image(), task.spec().image());
        }
        assertSame(d.task("web-1").spec(), d.task("web-3").spec(), "one spec object for all replicas");
        TaskStore restored = new TaskStore();
        restored.restore(Json.MAPPER.convertValue(d.store.image(), StoreImage.class));
        assertSame(restored.task("web-1").spec(), restored.task("web-3").spec(), "shared again after a restore");
        assertEquals(d.task("web-2"), restored.task("web-2"));
        Driver other = new Driver();
        other.accept(new SubmitReplicas("seed", spec("web"), 3, at(1)));
        assertEquals(d.task("web-2").id(), other.task("web-2").id(), "every manager derives the same ids");

        d.reject(new SubmitReplicas("seed-2", spec("web"), 5, at(2)), Outcome.Reason.CONFLICT);
        assertNull(d.task("web-4"), "web-1..3 are in use: none of web-1..5 is submitted");
        d.reject(new SubmitReplicas("seed-3", spec("api"), 0, at(2)), Outcome.Reason.INVALID);
    }

    @Test
    void reportsManyStatusesOfOneWorkerInOneEntry() {
        d.accept(register("w-1", "s-1"));
        d.accept(register("w-2", "s-2"));
        d.scheduled(d.submitted("t-1", "a").id(), "w-1");
        d.scheduled(d.submitted("t-2", "b").id(), "w-1");
        d.scheduled(d.submitted("t-3", "c").id(), "w-2");
        JsonNode value = d.accept(new ReportTaskStatuses("w-1", "s-1", List.of(
                new StatusUpdate("t-1", TaskState.RUNNING, "ctr-1", null, null),
                new StatusUpdate("t-2", TaskState.RUNNING, "ctr-2", null, null),
                new StatusUpdate("t-3", TaskState.RUNNING, "ctr-3", null, null),
                new StatusUpdate("t-9", TaskState.RUNNING, null, null, null)), at(20)));
        assertEquals(2, value.get("accepted").asInt(), value.toString());
        assertEquals("t-3", value.get("refused").get(0).get("taskId").asText());
        assertEquals("stale", value.get("refused").get(0).get("reason").asText());
        assertEquals("not_found", value.get("refused").get(1).get("reason").asText());
        assertEquals(TaskState.RUNNING, d.task("t-2").state());
        assertEquals("ctr-2", d.task("t-2").containerId());
        assertEquals(TaskState.SCHEDULED, d.task("t-3").state());

        d.reject(new ReportTaskStatuses("w-2", "old-session", List.of(
                new StatusUpdate("t-3", TaskState.RUNNING, null, null, null)), at(21)), Outcome.Reason.STALE);
        assertEquals(TaskState.SCHEDULED, d.task("t-3").state());
    }

    @Test
    void assignmentsFollowTheTasksOfEachWorker() {
        d.accept(register("w-1", "s-1"));
        d.accept(register("w-2", "s-2"));
        d.running(d.submitted("t-1", "a").id(), "w-1", "s-1");
        d.scheduled(d.submitted("t-2", "b").id(), "w-2");
        d.scheduled(d.submitted("t-3", "c").id(), "w-1");
        assertEquals(List.of("t-1", "t-3"), d.store.assignments("w-1").stream().map(Task::id).toList());
        d.accept(Fixtures.exited("t-1", "w-1", "s-1", TaskState.COMPLETED, 0, null));
        assertEquals(List.of("t-3"), d.store.assignments("w-1").stream().map(Task::id).toList());
        d.accept(Fixtures.markDown("w-1"));
        assertEquals(List.of(), d.store.assignments("w-1"));
        assertEquals(TaskState.PENDING, d.task("t-3").state(), "placed again");
        assertEquals(List.of("t-2"), d.store.assignments("w-2").stream().map(Task::id).toList());
    }

    @Test
    void changedAssignmentsAreThoseChangedAfterTheVersionAsked() {
        d.accept(register("w-1", "s-1"));
        d.scheduled(d.submitted("t-1", "a").id(), "w-1");
        d.scheduled(d.submitted("t-2", "b").id(), "w-1");
        long afterBoth = d.task("t-2").version();
        assertEquals(List.of("t-1", "t-2"), changedAfter("w-1", 0));
        assertEquals(List.of(), changedAfter("w-1", afterBoth));
        d.accept(Fixtures.report("t-1", "w-1", "s-1", TaskState.RUNNING));
        assertEquals(List.of(), changedAfter("w-1", afterBoth), "the worker's own report is no news to it");
        d.accept(new Command.StopTask("t-1", at(100)));
        assertEquals(List.of("t-1"), changedAfter("w-1", afterBoth), "t-1 is to be stopped");
        assertEquals(List.of("t-2", "t-1"), changedAfter("w-1", afterBoth - 1), "oldest change first");
        assertEquals(List.of("t-2", "t-1"), d.store.assignments("w-1").stream().map(Task::id).toList(),
                "the full list too: oldest change first");
        d.accept(Fixtures.exited("t-1", "w-1", "s-1", TaskState.COMPLETED, 0, null));
        assertEquals(List.of(), changedAfter("w-1", afterBoth), "a finished task is no longer held");
        assertEquals(List.of(), changedAfter("w-2", 0), "an unknown worker holds nothing");
    }

    private List<String> changedAfter(String workerId, long version) {
        return d.store.assignmentsChangedAfter(workerId, version).stream().map(Task::id).toList();
    }

    @Test
    void bulkCommandsSurviveTheirJson() {
        List<Command> commands = List.of(
                new SubmitTasks(List.of(new NewTask("t-1", spec("web"))), at(1)),
                new SubmitReplicas("seed", spec("web"), 1000, at(2)),
                new ReportTaskStatuses("w-1", "s-1", List.of(new StatusUpdate("t-1", TaskState.FAILED, "c", 3, "oom")),
                        at(3)));
        for (Command command : commands) {
            assertEquals(command, Json.read(Json.bytes(command), Command.class));
        }
    }
}
