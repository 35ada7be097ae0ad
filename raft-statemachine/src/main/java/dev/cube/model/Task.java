package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One task as the store knows it: the spec, what the managers want ({@code desiredState}) and
 * what the worker observed ({@code state}, container, exit code, error).
 *
 * @param reason  why a pending task is not placed yet ("0/2 workers fit: 2 insufficient memory")
 * @param version log index of the last change to this task; placements are fenced by it
 * @param attempt 1 for the first run; one more each time the task is placed again after its
 *                worker was declared down or its restart policy restarts it (the earlier runs are
 *                in {@code history})
 * @param notBefore while the task waits to restart: it may not be placed before this time
 */
public record Task(
        String id,
        String name,
        TaskSpec spec,
        DesiredState desiredState,
        TaskState state,
        String workerId,
        String workerName,
        String containerId,
        Integer exitCode,
        String error,
        String reason,
        Instant createdAt,
        Instant scheduledAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt,
        long version,
        int attempt,
        List<TaskAttempt> history,
        Instant notBefore) {

    public Task {
        attempt = Math.max(1, attempt);   // snapshots written before attempts existed read as 0
        history = history == null ? List.of() : List.copyOf(history);
    }

    /** A task placeable at once. */
    public Task(String id, String name, TaskSpec spec, DesiredState desiredState, TaskState state, String workerId,
                String workerName, String containerId, Integer exitCode, String error, String reason,
                Instant createdAt, Instant scheduledAt, Instant startedAt, Instant finishedAt, Instant updatedAt,
                long version, int attempt, List<TaskAttempt> history) {
        this(id, name, spec, desiredState, state, workerId, workerName, containerId, exitCode, error, reason,
                createdAt, scheduledAt, startedAt, finishedAt, updatedAt, version, attempt, history, null);
    }

    /** A task on its first attempt, with no history. */
    public Task(String id, String name, TaskSpec spec, DesiredState desiredState, TaskState state, String workerId,
                String workerName, String containerId, Integer exitCode, String error, String reason,
                Instant createdAt, Instant scheduledAt, Instant startedAt, Instant finishedAt, Instant updatedAt,
                long version) {
        this(id, name, spec, desiredState, state, workerId, workerName, containerId, exitCode, error, reason,
                createdAt, scheduledAt, startedAt, finishedAt, updatedAt, version, 1, List.of());
    }

    public static Task submitted(String id, TaskSpec spec, Instant at, long version) {
        return submitted(id, spec.name(), spec, at, version);
    }

    /**
     * A task named apart from its spec: the replicas of one submission share its spec (named as
     * submitted), one object for all of them instead of one each.
     */
    public static Task submitted(String id, String name, TaskSpec spec, Instant at, long version) {
        return new Task(id, name, spec, DesiredState.RUNNING, TaskState.PENDING, null, null, null,
                null, null, "waiting for the scheduler", at, null, null, null, at, version);
    }

    public Task withReason(String newReason, Instant at, long newVersion) {
        return new Task(id, name, spec, desiredState, state, workerId, workerName, containerId, exitCode, error,
                newReason, createdAt, scheduledAt, startedAt, finishedAt, at, newVersion, attempt, history, notBefore);
    }

    public Task scheduledOn(Worker worker, Instant at, long newVersion) {
        return new Task(id, name, spec, desiredState, TaskState.SCHEDULED, worker.id(), worker.name(), null, null,
                null, null, createdAt, at, startedAt, finishedAt, at, newVersion, attempt, history);
    }

    /** The same task holding {@code same}, a spec equal to its own (shared with other tasks). */
    public Task withSpecShared(TaskSpec same) {
        return new Task(id, name, same, desiredState, state, workerId, workerName, containerId, exitCode, error,
                reason, createdAt, scheduledAt, startedAt, finishedAt, updatedAt, version, attempt, history, notBefore);
    }

        public Task withDesired(DesiredState desired, Instant at, long newVersion) {
        return new Task(id, name, spec, desired, state, workerId, workerName, containerId, exitCode, error,
                reason, createdAt, scheduledAt, startedAt, finishedAt, at, newVersion, attempt, history, notBefore);
    }

    /** The task in {@code next} state; sets startedAt on running and finishedAt on a terminal state. */
    public Task observed(TaskState next, String newContainerId, Integer newExitCode, String newError,
                         Instant at, long newVersion) {
        return new Task(id, name, spec, desiredState, next, workerId, workerName,
                newContainerId != null ? newContainerId : containerId,
                newExitCode != null ? newExitCode : exitCode,
                newError != null ? newError : error,
                next == TaskState.PENDING ? reason : null, createdAt, scheduledAt,
                next == TaskState.RUNNING && startedAt == null ? at : startedAt,
                next.isTerminal() ? at : finishedAt, at, newVersion, attempt, history,
                next == TaskState.PENDING ? notBefore : null);
    }

    /**
     * The task placed again after its worker was lost: this run goes to the history as lost, and a
     * new attempt waits for the scheduler.
     */
    public Task rescheduled(String lostBecause, Instant at, long newVersion) {
        List<TaskAttempt> runs = new ArrayList<>(history);
        runs.add(new TaskAttempt(attempt, workerId, workerName, containerId, TaskState.LOST, exitCode, lostBecause,
                startedAt, at));
        return new Task(id, name, spec, desiredState, TaskState.PENDING, null, null, null, null, null,
                "rescheduling: " + lostBecause, createdAt, null, null, null, at, newVersion, attempt + 1, runs);
    }

    /**
     * The task placed again because the operator drains its worker: like {@link #rescheduled}, but
     * this run goes to the history as stopped (the worker stops its container), not as lost.
     */
    public Task movedOffDrainedWorker(String because, Instant at, long newVersion) {
        Task next = rescheduled(because, at, newVersion);
        List<TaskAttempt> runs = new ArrayList<>(next.history);
        TaskAttempt run = runs.removeLast();
        runs.add(new TaskAttempt(run.attempt(), run.workerId(), run.workerName(), run.containerId(), TaskState.STOPPED,
                run.exitCode(), run.error(), run.startedAt(), run.finishedAt()));
        return new Task(id, name, spec, desiredState, next.state, null, null, null, null, null, next.reason, createdAt,
                null, null, null, at, newVersion, next.attempt, runs);
    }

    /**
     * The task after its container ended ({@code this} is the ended run, in a terminal state),
     * started again by its restart policy: the run goes to the history with its exit code, and a new
     * attempt waits until {@code notBefore}, then for the scheduler.
     */
    public Task restarted(String why, Instant notBefore, Instant at, long newVersion) {
        List<TaskAttempt> runs = new ArrayList<>(history);
        runs.add(new TaskAttempt(attempt, workerId, workerName, containerId, state, exitCode, error, startedAt,
                finishedAt));
        return new Task(id, name, spec, desiredState, TaskState.PENDING, null, null, null, null, null, why,
                createdAt, null, null, null, at, newVersion, attempt + 1, runs, notBefore);
    }

    /** Whether the task holds resources on its worker. */
    @JsonIgnore
    public boolean isActiveOnWorker() {
        return workerId != null && !state.isTerminal();
    }
}
