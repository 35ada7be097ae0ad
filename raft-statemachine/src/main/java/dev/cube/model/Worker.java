package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.time.Instant;
import java.util.Map;

/**
 * A worker machine as registered. {@code session} changes with every registration, so reports from
 * an earlier incarnation of the worker can be told apart and refused. {@code agentUrl}, when set,
 * is where the worker's agent serves container logs to the managers. {@code secretHash} (SHA-256,
 * hex) is of the secret the worker first registered with: only that secret registers this id again.
 * Both {@code session} and {@code secretHash} stay inside the managers (the API leaves them out).
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
        Instant updatedAt,
        Availability availability,
        String agentUrl,
        String secretHash) {

    @JsonCreator
    public Worker {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        availability = availability == null ? Availability.ACTIVE : availability;
    }

    /** A worker registered without a secret. */
    public Worker(String id, String name, String host, double cpus, long memoryBytes, Map<String, String> labels,
            WorkerState state, String session, Instant registeredAt, Instant updatedAt, Availability availability,
            String agentUrl) {
        this(id, name, host, cpus, memoryBytes, labels, state, session, registeredAt, updatedAt, availability,
                agentUrl, null);
    }

    /** An active worker without an agent URL. */
    public Worker(String id, String name, String host, double cpus, long memoryBytes, Map<String, String> labels,
            WorkerState state, String session, Instant registeredAt, Instant updatedAt) {
        this(id, name, host, cpus, memoryBytes, labels, state, session, registeredAt, updatedAt,
                Availability.ACTIVE, null);
    }

    public Worker withState(WorkerState newState, Instant at) {
        return new Worker(id, name, host, cpus, memoryBytes, labels, newState, session, registeredAt, at,
                availability, agentUrl, secretHash);
    }

    public Worker withAvailability(Availability newAvailability, Instant at) {
        return new Worker(id, name, host, cpus, memoryBytes, labels, state, session, registeredAt, at,
                newAvailability, agentUrl, secretHash);
    }
}
