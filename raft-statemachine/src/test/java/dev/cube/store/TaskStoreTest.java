package dev.cube.store;

import static dev.cube.store.Fixtures.GIB;
import static dev.cube.store.Fixtures.MIB;
import static dev.cube.store.Fixtures.at;
import static dev.cube.store.Fixtures.exited;
import static dev.cube.store.Fixtures.markDown;
import static dev.cube.store.Fixtures.place;
import static dev.cube.store.Fixtures.reasons;
import static dev.cube.store.Fixtures.register;
import static dev.cube.store.Fixtures.report;
import static dev.cube.store.Fixtures.spec;
import static dev.cube.store.Fixtures.stop;
import static dev.cube.store.Fixtures.submit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.DesiredState;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.model.Worker;
import dev.cube.model.WorkerState;
import dev.cube.store.Command.PlaceTasks;
import dev.cube.store.Command.Placement;
import dev.cube.store.Command.ReportTaskStatus;
import dev.cube.store.Command.SubmitTask;
import dev.cube.store.Fixtures.Driver;
import dev.cube.store.Outcome.Reason;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskStoreTest {

    private final Driver d = new Driver();

    private static JsonNode json(Object value) {
        return Json.MAPPER.valueToTree(value);
    }

    private static List<String> ids(JsonNode array) {
        assertTrue(array.isArray(), array::toString);
        return StreamSupport.stream(array.spliterator(), false).map(n -> n.get("id").asText()).toList();
    }

    // ---- SubmitTask --------------------------------------------------------------------------

    @Nested
    class Submit {
        @Test
        void createsAPendingTaskWithAReasonAtTheIndexVersion() {
            SubmitTask cmd = submit("t-1", "web");
            Outcome outcome = d.store.apply(7, cmd);

            Task task = d.task("t-1");
            assertEquals(new Outcome.Accepted(json(task)), outcome);
            assertEquals("web", task.name());
            assertEquals(cmd.spec(), task.spec());
            assertEquals(TaskState.PENDING, task.state());
            assertEquals(DesiredState.RUNNING, task.desiredState());
            assertNotNull(task.reason());
            assertFalse(task.reason().isBlank());
            assertEquals(7, task.version());
            assertEquals(7, d.store.version());
            assertEquals(cmd.at(), task.createdAt());
            assertEquals(cmd.at(), task.updatedAt());
            assertNull(task.workerId());
            assertNull(task.scheduledAt());
            assertEquals(List.of(task), d.store.tasks());
            assertEquals(task, d.task("web"));
        }

        @Test
        void aSecondPendingTaskOfTheSameNameIsAConflict() {
            Task first = d.submitted("t-1", "web");
            var rejected = d.reject(submit("t-2", "web"), Reason.CONFLICT);
            assertTrue(rejected.message().contains("web"), rejected.message());
            assertEquals(List.of(first), d.store.tasks());
            assertEquals(first, d.task("web"));
        }

        @Test
        void aSecondTaskOfTheNameOfARunningTaskIsAConflict() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            Task running = d.running("t-1", "w-1", "s-1");
            d.reject(submit("t-2", "web"), Reason.CONFLICT);
            assertEquals(List.of(running), d.store.tasks());
        }

        @Test
        void aTaskIdInUseIsAConflict() {
            Task first = d.submitted("t-1", "web");
            d.reject(submit("t-1", "api"), Reason.CONFLICT);
            assertEquals(List.of(first), d.store.tasks());
            assertNull(d.task("api"));
        }

        @Test
        void aNameIsFreeAgainOnceItsTaskStoppedAndTheNameFindsTheNewest() {
            Task first = d.submitted("t-1", "web");
            d.accept(stop("web"));
            Task second = d.submitted("t-2", "web");

            assertEquals(TaskState.PENDING, second.state());
            assertEquals(TaskState.STOPPED, d.task("t-1").state());
            assertEquals(List.of("t-1", "t-2"), d.store.tasks().stream().map(Task::id).toList());
            assertEquals(second, d.task("web"));
            assertEquals("t-2", d.store.query(new Query.GetTask("web")).get("id").asText());
            assertEquals(first.id(), d.store.query(new Query.GetTask("t-1")).get("id").asText());
        }
    }

    // ---- StopTask ----------------------------------------------------------------------------

    @Nested
    class Stop {
        @Test
        void aPendingTaskStopsAtOnce() {
            d.submitted("t-1", "web");
            JsonNode value = d.accept(stop("web"));

            Task task = d.task("t-1");
            assertEquals(json(task), value);
            assertEquals(TaskState.STOPPED, task.state());
            assertEquals(DesiredState.STOPPED, task.desiredState());
            assertEquals(at(50), task.finishedAt());
            assertEquals(d.index, task.version());
            assertNull(task.reason());
        }

        @Test
        void aScheduledTaskIsAskedToStopButKeepsItsState() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            Task before = d.scheduled("t-1", "w-1");
            d.accept(stop("t-1"));

            Task task = d.task("t-1");
            assertEquals(DesiredState.STOPPED, task.desiredState());
            assertEquals(TaskState.SCHEDULED, task.state());
            assertEquals("w-1", task.workerId());
            assertNull(task.finishedAt());
            assertEquals(d.index, task.version());
            assertEquals(before.scheduledAt(), task.scheduledAt());
            assertEquals(List.of(task), d.store.assignments("w-1"));
        }

        @Test
        void aRunningTaskIsAskedToStopButKeepsItsState() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            Task before = d.running("t-1", "w-1", "s-1");
            d.accept(stop("web"));

            Task task = d.task("t-1");
            assertEquals(DesiredState.STOPPED, task.desiredState());
            assertEquals(TaskState.RUNNING, task.state());
            assertEquals(before.containerId(), task.containerId());
            assertEquals(before.startedAt(), task.startedAt());
            assertEquals(d.index, task.version());
            assertEquals(Allocation.NONE.plus(task.spec()), d.store.allocation("w-1"));
        }

        @Test
        void anUnknownTaskIsNotFound() {
            d.submitted("t-1", "web");
            d.reject(stop("nope"), Reason.NOT_FOUND);
            assertEquals(TaskState.PENDING, d.task("t-1").state());
        }

        @Test
        void aFinishedTaskIsAcceptedUnchanged() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            Task done = d.finished("t-1", "w-1", "s-1", TaskState.COMPLETED);
            JsonNode value = d.accept(stop("t-1"));
            assertEquals(json(done), value);
            assertEquals(done, d.task("t-1"));
        }

        @Test
        void stoppingTwiceIsAcceptedUnchanged() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            d.running("t-1", "w-1", "s-1");
            d.accept(stop("t-1"));
            Task once = d.task("t-1");
            assertEquals(json(once), d.accept(stop("t-1")));
            assertEquals(once, d.task("t-1"));
        }
    }

    // ---- RegisterWorker ----------------------------------------------------------------------

    @Nested
    class Register {
        @Test
        void aNewWorkerIsReadyWithItsSession() {
            var cmd = register("w-1", "s-1", 4.0, 8 * GIB);
            JsonNode value = d.accept(cmd);

            Worker worker = d.store.worker("w-1");
            assertEquals(json(worker), value);
            assertEquals(WorkerState.READY, worker.state());
            assertEquals("s-1", worker.session());
            assertEquals("node-w-1", worker.name());
            assertEquals(cmd.host(), worker.host());
            assertEquals(4.0, worker.cpus());
            assertEquals(8 * GIB, worker.memoryBytes());
            assertEquals(Map.of("zone", "a"), worker.labels());
            assertEquals(cmd.at(), worker.registeredAt());
            assertEquals(cmd.at(), worker.updatedAt());
            assertEquals(worker, d.store.worker("node-w-1"));
            assertEquals(List.of(worker), d.store.workers());
        }

        @Test
        void reRegistrationKeepsRegisteredAtAndChangesTheSession() {
            d.accept(register("w-1", "s-1"));
            Worker first = d.store.worker("w-1");
            var again = new Command.RegisterWorker("w-1", "node-w-1", first.host(), 3.0, 6 * GIB, Map.of(),
                    "s-2", at(300));
            d.accept(again);

            Worker worker = d.store.worker("w-1");
            assertEquals(first.registeredAt(), worker.registeredAt());
            assertEquals(at(300), worker.updatedAt());
            assertEquals("s-2", worker.session());
            assertEquals(3.0, worker.cpus());
            assertEquals(1, d.store.workers().size());
        }

        @Test
        void anIdRegisteredWithASecretTakesOnlyThatSecretAgain() {
            d.accept(register("w-1", "s-1", "hash-a"));
            d.accept(markDown("w-1"));

            var impostor = d.reject(register("w-1", "s-x", "hash-b"), Reason.FORBIDDEN);
            assertEquals("worker id w-1 is registered with another secret", impostor.message());
            d.reject(register("w-1", "s-y"), Reason.FORBIDDEN);
            assertEquals("s-1", d.store.worker("w-1").session());
            assertEquals(WorkerState.DOWN, d.store.worker("w-1").state());

            d.accept(register("w-1", "s-2", "hash-a"));
            assertEquals("s-2", d.store.worker("w-1").session());
            assertEquals("hash-a", d.store.worker("w-1").secretHash());
        }

        @Test
        void aWorkerThatHadNoSecretIsBoundToTheFirstItGives() {
            d.accept(register("w-1", "s-1"));
            assertNull(d.store.worker("w-1").secretHash());
            d.accept(register("w-1", "s-2", "hash-a"));
            d.reject(register("w-1", "s-3", "hash-b"), Reason.FORBIDDEN);
            assertEquals("hash-a", d.store.worker("w-1").secretHash());
        }

        @Test
        void aWorkerDeclaredDownIsReadyAgainWhenItRegisters() {
            d.accept(register("w-1", "s-1"));
            d.accept(markDown("w-1"));
            d.accept(register("w-1", "s-2"));
            assertEquals(WorkerState.READY, d.store.worker("w-1").state());
        }
    }

    // ---- RemoveWorker ------------------------------------------------------------------------

    @Nested
    class Remove {
        @Test
        void aWorkerDeclaredDownIsForgottenAndItsIdMayRegisterWithAnotherSecret() {
            d.accept(register("w-1", "s-1", "hash-a"));
            d.submitted("t-1", "web");
            d.running("t-1", "w-1", "s-1");
            d.accept(markDown("w-1"));

            JsonNode removed = d.accept(new Command.RemoveWorker("node-w-1", at(50)));   // by name
            assertEquals("w-1", removed.path("removed").asText());
            assertNull(d.store.worker("w-1"));
            assertEquals(List.of(), d.store.workers());
            assertEquals("w-1", d.task("t-1").history().getFirst().workerId(), "the task's history keeps the worker");

            d.accept(register("w-1", "s-2", "hash-b"));
            assertEquals("hash-b", d.store.worker("w-1").secretHash());
        }

        @Test
        void aWorkerNotDownUnknownOrAmbiguousIsNotRemoved() {
            d.accept(register("w-1", "s-1"));
            var ready = d.reject(new Command.RemoveWorker("w-1", at(50)), Reason.CONFLICT);
            assertTrue(ready.message().contains("is ready: only a worker declared down can be removed"), ready.message());
            d.reject(new Command.RemoveWorker("ghost", at(50)), Reason.NOT_FOUND);

            d.accept(new Command.RegisterWorker("w-2", "node-w-1", "10.0.0.9", 1, GIB, Map.of(), "s-2", at(3)));
            var ambiguous = d.reject(new Command.RemoveWorker("node-w-1", at(50)), Reason.CONFLICT);
            assertTrue(ambiguous.message().contains("give the id"), ambiguous.message());
            assertEquals(2, d.store.workers().size());
        }
    }

    // ---- PlaceTasks --------------------------------------------------------------------------

    @Nested
    class Place {
        @Test
        void aPlacementSchedulesTheTaskOnTheWorker() {
            d.accept(register("w-1", "s-1"));
            Task pending = d.submitted("t-1", "web");
            JsonNode value = d.accept(place("t-1", "w-1", pending.version()));

            assertEquals(1, value.get("placed").asInt());
            assertEquals(0, value.get("refused").size());
            Task task = d.task("t-1");
            assertEquals(TaskState.SCHEDULED, task.state());
            assertEquals("w-1", task.workerId());
            assertEquals("node-w-1", task.workerName());
            assertEquals(at(10), task.scheduledAt());
            assertEquals(d.index, task.version());
            assertNull(task.reason());
            assertEquals(Allocation.NONE.plus(task.spec()), d.store.allocation("w-1"));
            assertEquals(List.of(task), d.store.assignments("w-1"));
        }

        @Test
        void aPlacementAtAStaleTaskVersionIsRefused() {
            d.accept(register("w-1", "s-1"));
            Task seen = d.submitted("t-1", "web");
            d.accept(reasons(Map.of("t-1", "0/1 workers fit")));   // the task moves on
            Task now = d.task("t-1");
            assertNotEquals(seen.version(), now.version());

            JsonNode value = d.accept(place("t-1", "w-1", seen.version()));
            assertRefused(value, "t-1");
            assertEquals(now, d.task("t-1"));
            assertEquals(Allocation.NONE, d.store.allocation("w-1"));
        }

        @Test
        void aPlacementOnADownWorkerIsRefused() {
            d.accept(register("w-1", "s-1"));
            d.accept(markDown("w-1"));
            Task pending = d.submitted("t-1", "web");
            assertRefused(d.accept(place("t-1", "w-1", pending.version())), "t-1");
            assertEquals(pending, d.task("t-1"));
        }

        @Test
        void aPlacementOnAnUnknownWorkerOrOfAnUnknownTaskIsRefused() {
            Task pending = d.submitted("t-1", "web");
            assertRefused(d.accept(place("t-1", "w-9", pending.version())), "t-1");
            d.accept(register("w-1", "s-1"));
            assertRefused(d.accept(place("t-9", "w-1", 1)), "t-9");
            assertEquals(pending, d.task("t-1"));
        }

        @Test
        void aPlacementOfATaskNoLongerPendingIsRefused() {
            d.accept(register("w-1", "s-1"));
            d.accept(register("w-2", "s-2"));
            d.submitted("t-1", "web");
            Task scheduled = d.scheduled("t-1", "w-1");
            assertRefused(d.accept(place("t-1", "w-2", scheduled.version())), "t-1");
            assertEquals(scheduled, d.task("t-1"));
            assertEquals(Allocation.NONE, d.store.allocation("w-2"));
        }

        @Test
        void aPlacementOverTheCpuCapacityIsRefused() {
            d.accept(register("w-1", "s-1", 1.0, 64 * GIB));
            d.submitted("t-1", spec("a", 0.6, MIB));
            Task b = d.submitted("t-2", spec("b", 0.5, MIB));
            d.scheduled("t-1", "w-1");

            assertRefused(d.accept(place("t-2", "w-1", b.version())), "t-2");
            assertEquals(TaskState.PENDING, d.task("t-2").state());
            assertEquals(new Allocation(600, MIB, 1), d.store.allocation("w-1"));
        }

        @Test
        void aPlacementOverTheMemoryCapacityIsRefused() {
            d.accept(register("w-1", "s-1", 64.0, 1 * GIB));
            d.submitted("t-1", spec("a", 0.1, 600 * MIB));
            Task b = d.submitted("t-2", spec("b", 0.1, 500 * MIB));
            d.scheduled("t-1", "w-1");

            assertRefused(d.accept(place("t-2", "w-1", b.version())), "t-2");
            assertEquals(TaskState.PENDING, d.task("t-2").state());
            assertEquals(new Allocation(100, 600 * MIB, 1), d.store.allocation("w-1"));
        }

        @Test
        void placementsOfOnePassCountAgainstEachOtherAndAnExactFitIsAccepted() {
            d.accept(register("w-1", "s-1", 1.0, 1 * GIB));
            Task a = d.submitted("t-1", spec("a", 0.5, 512 * MIB));
            Task b = d.submitted("t-2", spec("b", 0.5, 512 * MIB));
            Task c = d.submitted("t-3", spec("c", 0.1, MIB));
            JsonNode value = d.accept(new PlaceTasks(List.of(
                    new Placement("t-1", "w-1", a.version()),
                    new Placement("t-2", "w-1", b.version()),
                    new Placement("t-3", "w-1", c.version())), Map.of(), at(10)));

            assertEquals(2, value.get("placed").asInt());
            assertRefused(value, "t-3");
            assertEquals(new Allocation(1000, 1 * GIB, 2), d.store.allocation("w-1"));
            assertEquals(TaskState.PENDING, d.task("t-3").state());
        }

        @Test
        void reasonsAreSetOnPendingTasksOnly() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            d.submitted("t-2", "api");
            Task scheduled = d.scheduled("t-2", "w-1");

            JsonNode value = d.accept(reasons(Map.of(
                    "t-1", "0/1 workers fit: 1 insufficient memory",
                    "t-2", "should not stick",
                    "t-9", "no such task")));
            assertEquals(0, value.get("placed").asInt());

            Task pending = d.task("t-1");
            assertEquals("0/1 workers fit: 1 insufficient memory", pending.reason());
            assertEquals(d.index, pending.version());
            assertEquals(at(11), pending.updatedAt());
            assertEquals(scheduled, d.task("t-2"));
            assertNull(d.task("t-9"));
        }

        @Test
        void theSameReasonAgainLeavesTheTaskAlone() {
            d.submitted("t-1", "web");
            d.accept(reasons(Map.of("t-1", "0/0 workers")));
            Task once = d.task("t-1");
            d.accept(reasons(Map.of("t-1", "0/0 workers")));
            assertEquals(once, d.task("t-1"));
        }

        private void assertRefused(JsonNode value, String taskId) {
            JsonNode refused = value.get("refused");
            assertTrue(StreamSupport.stream(refused.spliterator(), false)
                    .anyMatch(r -> r.asText().startsWith(taskId + ": ")), value::toString);
        }
    }

    // ---- ReportTaskStatus --------------------------------------------------------------------

    @Nested
    class Report {
        private Task scheduled;

        private void onWorker() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            scheduled = d.scheduled("t-1", "w-1");
        }

        @Test
        void runningSetsStartedAtAndTheContainer() {
            onWorker();
            JsonNode value = d.accept(report("t-1", "w-1", "s-1", TaskState.RUNNING));

            Task task = d.task("t-1");
            assertEquals(json(task), value);
            assertEquals(TaskState.RUNNING, task.state());
            assertEquals("ctr-t-1", task.containerId());
            assertEquals(at(20), task.startedAt());
            assertNull(task.finishedAt());
            assertEquals(scheduled.scheduledAt(), task.scheduledAt());
            assertEquals(d.index, task.version());
            assertEquals(Allocation.NONE.plus(task.spec()), d.store.allocation("w-1"));
        }

        @Test
        void completedWithExitZeroSetsFinishedAt() {
            onWorker();
            d.accept(report("t-1", "w-1", "s-1", TaskState.RUNNING));
            d.accept(exited("t-1", "w-1", "s-1", TaskState.COMPLETED, 0, null));

            Task task = d.task("t-1");
            assertEquals(TaskState.COMPLETED, task.state());
            assertEquals(0, task.exitCode());
            assertEquals(at(30), task.finishedAt());
            assertEquals(at(20), task.startedAt());
            assertEquals("ctr-t-1", task.containerId());
            assertNull(task.error());
            assertEquals(Allocation.NONE, d.store.allocation("w-1"));
        }

        @Test
        void failedKeepsTheExitCodeAndTheError() {
            onWorker();
            d.accept(report("t-1", "w-1", "s-1", TaskState.RUNNING));
            d.accept(exited("t-1", "w-1", "s-1", TaskState.FAILED, 3, "exited with code 3"));

            Task task = d.task("t-1");
            assertEquals(TaskState.FAILED, task.state());
            assertEquals(3, task.exitCode());
            assertEquals("exited with code 3", task.error());
            assertEquals(at(30), task.finishedAt());
        }

        @Test
        void aShortTaskMayFinishWithoutBeingSeenRunning() {
            onWorker();
            d.accept(exited("t-1", "w-1", "s-1", TaskState.COMPLETED, 0, null));
            Task task = d.task("t-1");
            assertEquals(TaskState.COMPLETED, task.state());
            assertNull(task.startedAt());
            assertEquals(at(30), task.finishedAt());
        }

        @Test
        void aReportFromAnOutdatedSessionIsStale() {
            onWorker();
            d.accept(register("w-1", "s-2"));
            Task before = d.task("t-1");
            d.reject(report("t-1", "w-1", "s-1", TaskState.RUNNING), Reason.STALE);
            assertEquals(before, d.task("t-1"));
        }

        @Test
        void aReportFromAnotherWorkerIsStale() {
            onWorker();
            d.accept(register("w-2", "s-9"));
            d.reject(report("t-1", "w-2", "s-9", TaskState.RUNNING), Reason.STALE);
            assertEquals(scheduled, d.task("t-1"));
        }

        @Test
        void aReportFromAnUnknownWorkerIsStale() {
            onWorker();
            d.reject(report("t-1", "w-9", "s-1", TaskState.RUNNING), Reason.STALE);
            assertEquals(scheduled, d.task("t-1"));
        }

        @Test
        void aReportOfAnUnknownTaskIsNotFound() {
            onWorker();
            d.reject(report("t-9", "w-1", "s-1", TaskState.RUNNING), Reason.NOT_FOUND);
        }

        @Test
        void aFinishedTaskCannotRunAgain() {
            onWorker();
            d.accept(exited("t-1", "w-1", "s-1", TaskState.COMPLETED, 0, null));
            Task done = d.task("t-1");
            d.reject(report("t-1", "w-1", "s-1", TaskState.RUNNING), Reason.INVALID);
            d.reject(exited("t-1", "w-1", "s-1", TaskState.FAILED, 1, "late"), Reason.INVALID);
            assertEquals(done, d.task("t-1"));
            assertEquals(Allocation.NONE, d.store.allocation("w-1"));
        }

        @ParameterizedTest
        @EnumSource(value = TaskState.class, names = {"PENDING", "SCHEDULED"})
        void aRunningTaskCannotBeReportedBackToAnEarlierState(TaskState earlier) {
            onWorker();
            d.accept(report("t-1", "w-1", "s-1", TaskState.RUNNING));
            Task running = d.task("t-1");
            d.reject(report("t-1", "w-1", "s-1", earlier), Reason.INVALID);
            assertEquals(running, d.task("t-1"));
            assertEquals(Allocation.NONE.plus(running.spec()), d.store.allocation("w-1"));
        }

        @Test
        void aScheduledTaskCannotBeReportedPending() {
            onWorker();
            d.reject(report("t-1", "w-1", "s-1", TaskState.PENDING), Reason.INVALID);
            assertEquals(scheduled, d.task("t-1"));
        }

        @Test
        void theSameStateTwiceIsAcceptedWithoutAChange() {
            onWorker();
            d.accept(report("t-1", "w-1", "s-1", TaskState.RUNNING));
            Task once = d.task("t-1");
            ReportTaskStatus again = new ReportTaskStatus("t-1", "w-1", "s-1", TaskState.RUNNING, "ctr-other",
                    null, null, at(25));
            JsonNode value = d.accept(again);
            assertEquals(json(once), value);
            assertEquals(once, d.task("t-1"));
            assertEquals(once.version(), d.task("t-1").version());
        }
    }

    // ---- MarkWorkerDown ----------------------------------------------------------------------

    @Nested
    class MarkDown {
        @Test
        void itsLiveTasksArePlacedAgainAndItsFinishedTasksUntouched() {
            d.accept(register("w-1", "s-1"));
            d.accept(register("w-2", "s-2"));
            d.submitted("t-1", "scheduled");
            d.submitted("t-2", "running");
            d.submitted("t-3", "completed");
            d.submitted("t-4", "elsewhere");
            d.submitted("t-5", "pending");
            d.scheduled("t-1", "w-1");
            d.running("t-2", "w-1", "s-1");
            Task completed = d.finished("t-3", "w-1", "s-1", TaskState.COMPLETED);
            Task elsewhere = d.running("t-4", "w-2", "s-2");
            Task pending = d.task("t-5");

            JsonNode value = d.accept(markDown("w-1"));

            Worker worker = d.store.worker("w-1");
            assertEquals(json(worker), value);
            assertEquals(WorkerState.DOWN, worker.state());
            assertEquals(at(40), worker.updatedAt());
            assertEquals("s-1", worker.session());
            for (String id : List.of("t-1", "t-2")) {
                Task again = d.task(id);
                assertEquals(TaskState.PENDING, again.state(), id);
                assertEquals(null, again.workerId(), id);
                assertEquals(2, again.attempt(), id);
                assertEquals(d.index, again.version(), id);
                assertTrue(again.reason().contains("node-w-1"), again.reason());
                var lost = again.history().getFirst();
                assertEquals(TaskState.LOST, lost.state(), id);
                assertEquals("w-1", lost.workerId(), id);
                assertEquals(at(40), lost.finishedAt(), id);
                assertTrue(lost.error().contains("missed 3 heartbeats"), lost.error());
            }
            assertEquals(List.of("t-5", "t-1", "t-2"), d.store.pendingTasks(10).stream().map(Task::id).toList());
            assertEquals(completed, d.task("t-3"));
            assertEquals(elsewhere, d.task("t-4"));
            assertEquals(pending, d.task("t-5"));
            assertEquals(Allocation.NONE, d.store.allocation("w-1"));
            assertEquals(Allocation.NONE.plus(elsewhere.spec()), d.store.allocation("w-2"));
            assertEquals(List.of(), d.store.assignments("w-1"));
            assertEquals(WorkerState.READY, d.store.worker("w-2").state());
        }

        @Test
        void theLostWorkerCannotReportOnAMovedTask() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            d.running("t-1", "w-1", "s-1");
            d.accept(markDown("w-1"));
            Task moved = d.task("t-1");
            d.reject(report("t-1", "w-1", "s-1", TaskState.RUNNING), Reason.STALE);
            assertEquals(moved, d.task("t-1"));
        }

        @Test
        void aTaskBeingStoppedCountsAsStopped() {
            d.accept(register("w-1", "s-1"));
            d.submitted("t-1", "web");
            d.running("t-1", "w-1", "s-1");
            d.accept(new Command.StopTask("web", at(35)));
            d.accept(markDown("w-1"));
            assertEquals(TaskState.STOPPED, d.task("t-1").state());
            assertEquals(1, d.task("t-1").attempt());
        }

        @Test
        void anUnknownWorkerIsNotFound() {
            d.reject(markDown("w-9"), Reason.NOT_FOUND);
            assertTrue(d.store.workers().isEmpty());
        }
    }

    // ---- assignments, allocations ------------------------------------------------------------

    @Test
    void assignmentsAreTheUnfinishedTasksOfThatWorkerOnly() {
        d.accept(register("w-1", "s-1"));
        d.accept(register("w-2", "s-2"));
        for (int i = 1; i <= 7; i++) {
            d.submitted("t-" + i, "task-" + i);
        }
        Task scheduled = d.scheduled("t-1", "w-1");
        Task running = d.running("t-2", "w-1", "s-1");
        d.finished("t-3", "w-1", "s-1", TaskState.COMPLETED);
        d.finished("t-4", "w-1", "s-1", TaskState.FAILED);
        d.running("t-5", "w-1", "s-1");
        d.accept(stop("t-5"));
        d.accept(exited("t-5", "w-1", "s-1", TaskState.STOPPED, 137, null));
        Task other = d.running("t-6", "w-2", "s-2");
        // t-7 stays pending

        assertEquals(List.of(scheduled, running), d.store.assignments("w-1"));
        assertEquals(List.of(other), d.store.assignments("w-2"));
        assertEquals(List.of(), d.store.assignments("w-9"));
    }

    @Test
    void allocationFollowsPlacementsAndTaskEndsBackToZero() {
        d.accept(register("w-1", "s-1", 4.0, 8 * GIB));
        d.submitted("t-1", spec("a", 0.25, 100 * MIB));
        d.submitted("t-2", spec("b", 1.5, 1 * GIB));
        d.submitted("t-3", spec("c", 0.001, 1));
        assertEquals(Allocation.NONE, d.store.allocation("w-1"));

        d.scheduled("t-1", "w-1");
        assertEquals(new Allocation(250, 100 * MIB, 1), d.store.allocation("w-1"));
        d.scheduled("t-2", "w-1");
        d.scheduled("t-3", "w-1");
        assertEquals(new Allocation(1751, 100 * MIB + GIB + 1, 3), d.store.allocation("w-1"));

        d.accept(report("t-1", "w-1", "s-1", TaskState.RUNNING));
        d.accept(stop("t-1"));
        assertEquals(new Allocation(1751, 100 * MIB + GIB + 1, 3), d.store.allocation("w-1"));

        d.accept(exited("t-1", "w-1", "s-1", TaskState.STOPPED, 0, null));
        assertEquals(new Allocation(1501, GIB + 1, 2), d.store.allocation("w-1"));
        d.accept(exited("t-3", "w-1", "s-1", TaskState.FAILED, 1, "boom"));
        assertEquals(new Allocation(1500, GIB, 1), d.store.allocation("w-1"));
        d.accept(markDown("w-1"));
        assertEquals(Allocation.NONE, d.store.allocation("w-1"));
    }

    // ---- query -------------------------------------------------------------------------------

    @Nested
    class Queries {
        private void populate() {
            d.accept(register("w-1", "s-1"));
            d.accept(register("w-2", "s-2"));
            d.submitted("t-1", "web");
            d.submitted("t-2", "api");
            d.submitted("t-3", "db");
            d.running("t-2", "w-1", "s-1");
            d.running("t-3", "w-2", "s-2");
        }

        @Test
        void listTasksGivesEveryTaskOldestFirst() {
            populate();
            JsonNode all = d.store.query(new Query.ListTasks(null));
            assertEquals(List.of("t-1", "t-2", "t-3"), ids(all));
            assertEquals(json(d.store.tasks()), all);
        }

        @Test
        void listTasksFiltersByLowerCaseState() {
            populate();
            assertEquals(List.of("t-2", "t-3"), ids(d.store.query(new Query.ListTasks("running"))));
            assertEquals(List.of("t-1"), ids(d.store.query(new Query.ListTasks("pending"))));
            assertEquals(List.of(), ids(d.store.query(new Query.ListTasks("lost"))));
            assertEquals(List.of(), ids(d.store.query(new Query.ListTasks("no-such-state"))));
        }

        @Test
        void getTaskByIdOrNameAndNullForAnUnknownRef() throws Exception {
            populate();
            JsonNode byId = d.store.query(new Query.GetTask("t-2"));
            assertEquals(json(d.task("t-2")), byId);
            assertEquals(byId, d.store.query(new Query.GetTask("api")));
            JsonNode none = d.store.query(new Query.GetTask("nope"));
            assertTrue(none.isNull(), none::toString);
        }

        @Test
        void aTaskAnswerReadsBackAsTheTask() throws Exception {
            populate();
            JsonNode byId = d.store.query(new Query.GetTask("t-2"));
            assertEquals(d.task("t-2"), Json.MAPPER.treeToValue(byId, Task.class));
        }

        @Test
        void listWorkersInRegistrationOrder() {
            populate();
            JsonNode all = d.store.query(new Query.ListWorkers());
            assertEquals(List.of("w-1", "w-2"), ids(all));
            assertEquals(json(d.store.workers()), all);
        }

        @Test
        void getWorkerByIdOrNameAndNullForAnUnknownRef() throws Exception {
            populate();
            JsonNode byId = d.store.query(new Query.GetWorker("w-2"));
            assertEquals(json(d.store.worker("w-2")), byId);
            assertEquals(byId, d.store.query(new Query.GetWorker("node-w-2")));
            assertEquals(d.store.worker("w-2"), Json.MAPPER.treeToValue(byId, Worker.class));
            assertTrue(d.store.query(new Query.GetWorker("nope")).isNull());
        }

        @Test
        void queriesOfAnEmptyStore() {
            assertEquals(0, d.store.query(new Query.ListTasks(null)).size());
            assertEquals(0, d.store.query(new Query.ListWorkers()).size());
            assertTrue(d.store.query(new Query.GetTask("t-1")).isNull());
            assertTrue(d.store.query(new Query.GetWorker("w-1")).isNull());
        }
    }
}
