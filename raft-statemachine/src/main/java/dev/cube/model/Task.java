package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;

/**
 * One task as the store knows it: the spec, what the managers want ({@code desiredState}) and
 * what the worker observed ({@code state}, container, exit code, error).
 *
 * @param reason  why a pending task is not placed yet ("0/2 workers fit: 2 insufficient memory")
 * @param version log index of the last change to this task; placements are fenced by it
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
        long version) {

    public static Task submitted(String id, TaskSpec spec, Instant at, long version) {
        return new Task(id, spec.name(), spec, DesiredState.RUNNING, TaskState.PENDING, null, null, null,
                null, null, "waiting for the scheduler", at, null, null, null, at, version);
    }

    public Task withReason(String newReason, Instant at, long newVersion) {
        return new Task(id, name, spec, desiredState, state, workerId, workerName, containerId, exitCode, error,
                newReason, createdAt, scheduledAt, startedAt, finishedAt, at, newVersion);
    }

    public Task scheduledOn(Worker worker, Instant at, long newVersion) {
        return new Task(id, name, spec, desiredState, TaskState.SCHEDULED, worker.id(), worker.name(), null, null,
                null, null, createdAt, at, startedAt, finishedAt, at, newVersion);
    }

    public Task withDesired(DesiredState desired, Instant at, long newVersion) {
        return new Task(id, name, spec, desired, state, workerId, workerName, containerId, exitCode, error,
                reason, createdAt, scheduledAt, startedAt, finishedAt, at, newVersion);
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
                next.isTerminal() ? at : finishedAt, at, newVersion);
    }

    /** Whether the task holds resources on its worker. */
    @JsonIgnore
    public boolean isActiveOnWorker() {
        return workerId != null && !state.isTerminal();
    }
}
