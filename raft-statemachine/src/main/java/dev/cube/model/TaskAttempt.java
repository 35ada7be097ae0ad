package dev.cube.model;

import java.time.Instant;

/** One earlier run of a task that ended without the task ending: where it ran and how it stopped. */
public record TaskAttempt(int attempt, String workerId, String workerName, String containerId, TaskState state,
                          Integer exitCode, String error, Instant startedAt, Instant finishedAt) {}
