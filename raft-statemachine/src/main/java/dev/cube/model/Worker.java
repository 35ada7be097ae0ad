package dev.cube.model;

import java.time.Instant;
import java.util.Map;

/**
 * A worker machine as registered. {@code session} changes with every registration, so reports from
 * an earlier incarnation of the worker can be told apart and refused.
 */
public record Worker(
        String id,
        String name,
        String host,
        double cpus,
        long memoryBytes,
        Map<String, String> labels,
        WorkerState state,
        String session,
        Instant registeredAt,
        Instant updatedAt) {

    public Worker {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public Worker withState(WorkerState newState, Instant at) {
        return new Worker(id, name, host, cpus, memoryBytes, labels, newState, session, registeredAt, at);
    }
}
