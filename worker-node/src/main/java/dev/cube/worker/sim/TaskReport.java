package dev.cube.worker.sim;

import dev.cube.model.TaskState;

/** One observation in the body of {@code POST /workers/{id}/status}. */
record TaskReport(String taskId, TaskState state, String containerId, Integer exitCode, String error) {}
