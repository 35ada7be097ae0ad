package dev.cube.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ids of the tasks one worker holds, ordered by the last change to each that the worker must
 * act on: a long-poll that asks only for what changed after a version reads just those, newest first
 * from the end, instead of scanning every task the worker holds (200 each at 1,000,000 tasks on 5,000
 * workers) per answer. Apply changes tasks in version order, so a changed task simply moves to the
 * end; a restore puts tasks in any order, and the next read sorts once. One map entry per task: at a
 * million tasks each entry is copied by young collections once more (a second, placement-ordered set
 * cost 40 bytes and one object per task). Not thread-safe: the store guards it.
 */
final class HeldTasks {
    private final LinkedHashMap<String, Long> byChange = new LinkedHashMap<>();
    /** Some task was put with a lower version than an earlier one: {@link #byChange} needs sorting. */
    private boolean unsorted;
    private long highestVersion;

    /**
     * Adds the task, or moves it to {@code version} if held already: one hash lookup. The caller
     * passes one boxed version for all the tasks of an entry.
     */
    void put(String taskId, Long version) {
        if (version < highestVersion) unsorted = true;
        highestVersion = Math.max(highestVersion, version);
        byChange.putLast(taskId, version);
    }

    void remove(String taskId) {
        byChange.remove(taskId);
    }

    boolean isEmpty() {
        return byChange.isEmpty();
    }

    /** Every id, oldest change first. */
    List<String> ids() {
        if (unsorted) sort();
        return List.copyOf(byChange.keySet());
    }

    /** The ids of tasks whose last change came after {@code version}, oldest change first. */
    List<String> changedAfter(long version) {
        if (unsorted) sort();
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, Long> e : byChange.sequencedEntrySet().reversed()) {
            if (e.getValue() <= version) break;
            ids.add(e.getKey());
        }
        return ids.reversed();
    }

    private void sort() {
        List<Map.Entry<String, Long>> entries = new ArrayList<>(byChange.entrySet());
        entries.sort(Map.Entry.comparingByValue());   // stable: equal versions keep their order
        byChange.clear();
        entries.forEach(e -> byChange.put(e.getKey(), e.getValue()));
        unsorted = false;
    }
}
