package dev.cube.manager;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.store.StoreChanges;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Placements and scheduling latency, read off applied task changes: the times come from the
 * commands (submitted, scheduled, started), so every manager measures the same. Latency counts first
 * attempts only (a task placed again after its worker was lost has its own counter). Counts start
 * when this manager starts and include the log it replays then.
 */
final class TaskLifecycleMetrics implements StoreChanges {
    private static final int LATENCY_WINDOW = 1028;

    private final Counter placements;
    private final Counter rescheduled;
    private final Timer submittedToScheduled;
    private final Timer scheduledToRunning;
    private final Timer submittedToRunning;
    private final Map<TaskState, Counter> finished = new EnumMap<>(TaskState.class);

    TaskLifecycleMetrics(MetricRegistry registry) {
        placements = registry.counter("cube.tasks.placed");
        rescheduled = registry.counter("cube.tasks.rescheduled");
        submittedToScheduled = timer(registry, "cube.tasks.latency.submitted_to_scheduled");
        scheduledToRunning = timer(registry, "cube.tasks.latency.scheduled_to_running");
        submittedToRunning = timer(registry, "cube.tasks.latency.submitted_to_running");
        for (TaskState state : TaskState.values()) {
            if (state.isTerminal()) finished.put(state, registry.counter("cube.tasks.finished." + state.json()));
        }
    }

    /**
     * Every task's changes update these on the apply thread of every manager, three times per task:
     * quantiles over the last {@value #LATENCY_WINDOW} tasks, kept in an array. A decaying reservoir
     * (Dropwizard's default, or its lock-free variant) inserts most samples into a skip list, which
     * cost 3 % of a manager's CPU at a million tasks.
     */
    private static Timer timer(MetricRegistry registry, String name) {
        return registry.timer(name, () -> new Timer(new SlidingWindowReservoir(LATENCY_WINDOW)));
    }

    @Override
    public void taskChanged(long index, Task before, Task after) {
        if (before == null || before.state() == after.state() && before.attempt() == after.attempt()) {
            return;
        }
        if (after.attempt() != before.attempt()) {
            rescheduled.inc();
            finished.get(TaskState.LOST).inc();
            return;
        }
        switch (after.state()) {
            case SCHEDULED -> {
                placements.inc();
                if (after.attempt() == 1) record(submittedToScheduled, after.createdAt(), after.scheduledAt());
            }
            case RUNNING -> {
                record(scheduledToRunning, after.scheduledAt(), after.startedAt());
                if (after.attempt() == 1) record(submittedToRunning, after.createdAt(), after.startedAt());
            }
            default -> {
                Counter counter = finished.get(after.state());
                if (counter != null) counter.inc();
            }
        }
    }

    private static void record(Timer timer, Instant from, Instant to) {
        if (from != null && to != null && !to.isBefore(from)) {
            timer.update(from.until(to, ChronoUnit.NANOS), TimeUnit.NANOSECONDS);   // no Duration per task
        }
    }
}
