package dev.cube.store;

import static dev.cube.store.Fixtures.at;
import static dev.cube.store.Fixtures.markDown;
import static dev.cube.store.Fixtures.register;
import static dev.cube.store.Fixtures.spec;
import static dev.cube.store.Fixtures.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.model.RestartPolicy;
import dev.cube.model.RestartPolicy.Policy;
import dev.cube.model.Task;
import dev.cube.model.TaskAttempt;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Command.PlaceTasks;
import dev.cube.store.Command.Placement;
import dev.cube.store.Command.ReportTaskStatus;
import dev.cube.store.Outcome.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the store does with a run that ended, under each restart policy. */
class RestartPolicyTest {
    final Fixtures.Driver d = new Fixtures.Driver();

    @BeforeEach
    void worker() {
        d.accept(register("w-1", "s-1"));
    }

    static TaskSpec withRestart(String name, Policy policy, int maxAttempts, Duration delay) {
        TaskSpec s = spec(name);
        return new TaskSpec(s.name(), s.image(), s.command(), s.env(), s.cpus(), s.memoryBytes(), s.ports(),
                s.labels(), List.of(), new RestartPolicy(policy, maxAttempts, delay), List.of());
    }

    /** Places and runs the task's current attempt, then reports it ended with {@code exitCode} at {@code when}. */
    Task runAndExit(String taskId, int exitCode, Instant when) {
        Task t = d.task(taskId);
        d.accept(new PlaceTasks(List.of(new Placement(taskId, "w-1", t.version())), Map.of(),
                t.notBefore() == null ? when : t.notBefore()));
        d.accept(new ReportTaskStatus(taskId, "w-1", "s-1", TaskState.RUNNING, "ctr-" + t.attempt(), null, null, when));
        d.accept(new ReportTaskStatus(taskId, "w-1", "s-1", exitCode == 0 ? TaskState.COMPLETED : TaskState.FAILED,
                null, exitCode, exitCode == 0 ? null : "exited with code " + exitCode, when));
        return d.task(taskId);
    }

    @Test
    void onFailureRestartsWithDoublingDelaysUntilMaxAttemptsThenStaysFailed() {
        d.submitted("t-1", withRestart("job", Policy.ON_FAILURE, 3, Duration.ofSeconds(2)));

        Task second = runAndExit("t-1", 3, at(100));
        assertEquals(TaskState.PENDING, second.state());
        assertEquals(2, second.attempt());
        assertEquals(at(102), second.notBefore(), "first restart waits the delay");
        assertEquals("restarting after exit code 3 (attempt 2 of 3)", second.reason());
        assertNull(second.workerId());
        TaskAttempt first = second.history().getFirst();
        assertEquals(TaskState.FAILED, first.state());
        assertEquals(3, first.exitCode());
        assertEquals("w-1", first.workerId());
        assertEquals("ctr-1", first.containerId());

        Task third = runAndExit("t-1", 3, at(200));
        assertEquals(3, third.attempt());
        assertEquals(at(204), third.notBefore(), "second restart waits twice the delay");

        Task last = runAndExit("t-1", 3, at(300));
        assertEquals(TaskState.FAILED, last.state(), "three runs: no fourth");
        assertEquals(3, last.attempt());
        assertEquals(3, last.exitCode());
        assertEquals(List.of(3, 3), last.history().stream().map(TaskAttempt::exitCode).toList());
        assertEquals(1, d.store.count(TaskState.FAILED));
        assertEquals(0, d.store.count(TaskState.PENDING));
    }

    @Test
    void onFailureDoesNotRestartASuccessButAlwaysDoes() {
        d.submitted("t-1", withRestart("once", Policy.ON_FAILURE, 0, Duration.ZERO));
        assertEquals(TaskState.COMPLETED, runAndExit("t-1", 0, at(100)).state());

        d.submitted("t-2", withRestart("loop", Policy.ALWAYS, 0, Duration.ZERO));
        Task again = runAndExit("t-2", 0, at(100));
        assertEquals(TaskState.PENDING, again.state());
        assertEquals("restarting after exit code 0 (attempt 2)", again.reason());
        assertEquals(at(100), again.notBefore());
    }

    @Test
    void neverIsNotRestarted() {
        d.submitted("t-1", withRestart("job", Policy.NEVER, 5, Duration.ofSeconds(1)));
        Task failed = runAndExit("t-1", 3, at(100));
        assertEquals(TaskState.FAILED, failed.state());
        assertEquals(1, failed.attempt());
        assertTrue(failed.history().isEmpty());
    }

    @Test
    void aWaitingRestartIsNotPlaceableBeforeItsTimeAndThenIs() {
        d.submitted("t-1", withRestart("job", Policy.ON_FAILURE, 0, Duration.ofSeconds(10)));
        Task waiting = runAndExit("t-1", 1, at(100));

        assertTrue(d.store.pendingTasks(10, at(105)).isEmpty(), "hidden from the scheduler while it waits");
        assertEquals(1, d.store.pendingTasks(10).size(), "still a pending task");
        assertEquals(at(110), d.store.nextRestartAfter(at(105)));
        assertEquals(List.of("t-1"), d.store.pendingTasks(10, at(110)).stream().map(Task::id).toList());
        assertNull(d.store.nextRestartAfter(at(110)));

        var early = d.accept(new PlaceTasks(List.of(new Placement("t-1", "w-1", waiting.version())), Map.of(), at(109)));
        assertEquals(0, early.get("placed").asInt(), early::toString);
        assertTrue(early.get("refused").get(0).asText().contains("restarts at"), early::toString);

        var inTime = d.accept(new PlaceTasks(List.of(new Placement("t-1", "w-1", waiting.version())), Map.of(), at(110)));
        assertEquals(1, inTime.get("placed").asInt());
        assertNull(d.task("t-1").notBefore());
        assertEquals(TaskState.SCHEDULED, d.task("t-1").state());
    }

    @Test
    void stoppingAWaitingTaskCancelsTheRestart() {
        d.submitted("t-1", withRestart("job", Policy.ON_FAILURE, 0, Duration.ofSeconds(10)));
        runAndExit("t-1", 1, at(100));
        d.accept(stop("job"));
        assertEquals(TaskState.STOPPED, d.task("t-1").state());
        assertNull(d.task("t-1").notBefore());
        assertTrue(d.store.pendingTasks(10, at(500)).isEmpty());
        assertNull(d.store.nextRestartAfter(at(100)));
    }

    @Test
    void aTaskAskedToStopIsNotRestartedWhenItsContainerEnds() {
        d.submitted("t-1", withRestart("job", Policy.ALWAYS, 0, Duration.ZERO));
        Task t = d.task("t-1");
        d.accept(new PlaceTasks(List.of(new Placement("t-1", "w-1", t.version())), Map.of(), at(10)));
        d.accept(new ReportTaskStatus("t-1", "w-1", "s-1", TaskState.RUNNING, "ctr-1", null, null, at(20)));
        d.accept(stop("job"));
        d.accept(new ReportTaskStatus("t-1", "w-1", "s-1", TaskState.FAILED, null, 137, "killed", at(60)));
        assertEquals(TaskState.FAILED, d.task("t-1").state());
        assertEquals(1, d.task("t-1").attempt());
    }

    @Test
    void runsLostWithTheirWorkerDoNotCountAgainstMaxAttempts() {
        d.submitted("t-1", withRestart("job", Policy.ON_FAILURE, 2, Duration.ZERO));
        Task t = d.task("t-1");
        d.accept(new PlaceTasks(List.of(new Placement("t-1", "w-1", t.version())), Map.of(), at(10)));
        d.accept(markDown("w-1"));
        d.accept(register("w-1", "s-1"));
        assertEquals(2, d.task("t-1").attempt());

        Task restarted = runAndExit("t-1", 1, at(100));
        assertEquals(TaskState.PENDING, restarted.state(), "the lost run was not the task's failure");
        assertEquals("restarting after exit code 1 (attempt 2 of 2)", restarted.reason());
        assertEquals(TaskState.FAILED, runAndExit("t-1", 1, at(200)).state());
    }

    @Test
    void theLastWorkerOfAnEndedRunCannotReportOnTheNewAttempt() {
        d.submitted("t-1", withRestart("job", Policy.ON_FAILURE, 0, Duration.ZERO));
        runAndExit("t-1", 1, at(100));
        d.reject(new ReportTaskStatus("t-1", "w-1", "s-1", TaskState.RUNNING, "ctr-1", null, null, at(101)),
                Reason.STALE);
    }

    @Test
    void delaysDoubleAndAreCapped() {
        assertEquals(Duration.ofSeconds(2), Restarts.delay(Duration.ofSeconds(2), 1));
        assertEquals(Duration.ofSeconds(16), Restarts.delay(Duration.ofSeconds(2), 4));
        assertEquals(Restarts.MAX_DELAY, Restarts.delay(Duration.ofSeconds(2), 12));
        assertEquals(Restarts.MAX_DELAY, Restarts.delay(Duration.ofSeconds(2), 5_000));
        assertEquals(Duration.ZERO, Restarts.delay(Duration.ZERO, 7));
    }

    @Test
    void aSnapshotKeepsTheWaitingRestart() {
        d.submitted("t-1", withRestart("job", Policy.ON_FAILURE, 0, Duration.ofSeconds(10)));
        runAndExit("t-1", 1, at(100));
        TaskStore copy = new TaskStore();
        copy.restore(d.store.image());
        assertEquals(at(110), copy.nextRestartAfter(at(100)));
        assertTrue(copy.pendingTasks(10, at(101)).isEmpty());
        assertEquals(d.task("t-1"), copy.task("t-1"));
    }
}
