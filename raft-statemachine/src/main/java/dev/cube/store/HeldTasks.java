package dev.cube.store;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The ids of the tasks one worker holds, in placement order, and also ordered by each task's last
 * change: a long-poll that asks only for what changed after a version reads just those, instead of
 * scanning every task the worker holds (200 each at 1,000,000 tasks on 5,000 workers) per answer.
 * Not thread-safe: the store guards it.
 */
final class HeldTasks {
    private record Change(long version, String taskId) {}

    private static final Comparator<Change> ORDER =
            Comparator.comparingLong(Change::version).thenComparing(Change::taskId);

    private final Map<String, Long> versions = new LinkedHashMap<>();
    private final NavigableSet<Change> byVersion = new TreeSet<>(ORDER);

    /** Adds the task, or moves it to {@code version} if held already. */
    void put(String taskId, long version) {
        Long before = versions.put(taskId, version);
        if (before != null) byVersion.remove(new Change(before, taskId));
        byVersion.add(new Change(version, taskId));
    }

    void remove(String taskId) {
        Long before = versions.remove(taskId);
        if (before != null) byVersion.remove(new Change(before, taskId));
    }

    boolean isEmpty() {
        return versions.isEmpty();
    }

    /** Every id, in placement order. */
    List<String> ids() {
        return List.copyOf(versions.keySet());
    }

    /** The ids of tasks whose last change came after {@code version}, oldest change first. */
    List<String> changedAfter(long version) {
        List<String> ids = new ArrayList<>();
        for (Change c : byVersion.tailSet(new Change(version + 1, ""), true)) ids.add(c.taskId());
        return ids;
    }
}
