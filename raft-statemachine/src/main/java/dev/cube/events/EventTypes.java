package dev.cube.events;

import dev.cube.model.Availability;
import dev.cube.model.Task;
import dev.cube.model.Worker;
import java.util.Objects;

/** Names a change by comparing the state before and after it. */
final class EventTypes {
    private EventTypes() {}

    /**
     * {@code task-submitted}; {@code task-rescheduled} (a new attempt after its worker was lost);
     * {@code task-<state>} when the observed state moved (scheduled, running, completed, failed,
     * stopped); {@code task-stop-requested}; {@code task-unplaced} (a pending task's reason changed);
     * else {@code task-updated}.
     */
    static String task(Task before, Task after) {
        if (before == null) return "task-submitted";
        if (after.attempt() != before.attempt()) return "task-rescheduled";
        if (after.state() != before.state()) return "task-" + after.state().json();
        if (after.desiredState() != before.desiredState()) return "task-stop-requested";
        if (!Objects.equals(after.reason(), before.reason())) return "task-unplaced";
        return "task-updated";
    }

    /**
     * {@code worker-registered} (also a new session of a known worker), {@code worker-<state>}
     * (ready, down), {@code worker-drained} / {@code worker-activated}, else {@code worker-updated}.
     */
    static String worker(Worker before, Worker after) {
        if (before == null || !Objects.equals(before.session(), after.session())) return "worker-registered";
        if (before.state() != after.state()) return "worker-" + after.state().json();
        if (before.availability() != after.availability()) {
            return after.availability() == Availability.DRAIN ? "worker-drained" : "worker-activated";
        }
        return "worker-updated";
    }
}
