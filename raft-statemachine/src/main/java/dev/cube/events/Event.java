package dev.cube.events;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One change of the cluster, as {@code GET /events} streams it: {@code index} is the Raft log
 * index of the command that made it (several events may share one), {@code topic} is task, worker
 * or manager, {@code type} says what happened ({@code task-submitted}, {@code worker-down}...),
 * {@code key} is the id of what changed, {@code payload} its new state.
 */
public record Event(long index, String topic, String type, String key, JsonNode payload) {

    public static final String TASK = "task";
    public static final String WORKER = "worker";
    public static final String MANAGER = "manager";
}
