package dev.cube.worker;

import dev.cube.model.TaskState;

/** Body of {@code POST /workers/{id}/tasks/{taskId}/status}: what the worker observed. */
public record StatusReport(String session, TaskState state, String containerId, Integer exitCode, String error) {}
