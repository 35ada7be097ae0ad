package dev.cube.store;

import dev.cube.model.Task;
import dev.cube.model.Worker;
import java.util.List;
import java.util.Map;

/** Everything a snapshot holds: the store's sections at one version. Allocations are derived, so left out. */
public record StoreImage(long version, List<Task> tasks, List<Worker> workers, Map<String, String> names) {}
