package dev.cube.store;

import dev.cube.model.ManagerInfo;
import dev.cube.model.Task;
import dev.cube.model.Worker;
import java.util.List;
import java.util.Map;

/**
 * Everything a snapshot holds: the store's sections at one version. Allocations are derived, so left
 * out. Sections added later are null when read from an older snapshot.
 */
public record StoreImage(long version, List<Task> tasks, List<Worker> workers, Map<String, String> names,
                         List<ManagerInfo> managers) {
    public StoreImage {
        managers = managers == null ? List.of() : List.copyOf(managers);
    }
}
