package dev.cube.store;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A read of the store, answered by {@link TaskStore#query}; sent through Ratis for linearizable reads. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Query.ListTasks.class, name = "list-tasks"),
        @JsonSubTypes.Type(value = Query.GetTask.class, name = "get-task"),
        @JsonSubTypes.Type(value = Query.ListWorkers.class, name = "list-workers"),
        @JsonSubTypes.Type(value = Query.GetWorker.class, name = "get-worker"),
})
public sealed interface Query {

    /** Every task, oldest first; {@code state} null means all states. */
    record ListTasks(String state) implements Query {}

    /** One task by id, or by name (the newest task of that name); the answer is null if none. */
    record GetTask(String ref) implements Query {}

    record ListWorkers() implements Query {}

    /** One worker by id or name; null if none. */
    record GetWorker(String ref) implements Query {}
}
