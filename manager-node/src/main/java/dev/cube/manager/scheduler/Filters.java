package dev.cube.manager.scheduler;

import dev.cube.model.Availability;
import dev.cube.model.Constraint;
import dev.cube.model.WorkerState;
import java.util.List;

/** The feasibility filters. {@link #STANDARD} is the chain every pass runs, in its order. */
public final class Filters {
    private Filters() {}

    /** Only ready workers take tasks; a drained worker takes nothing new. */
    public static final Filter READY = (task, c) -> {
        if (c.worker().state() != WorkerState.READY) return "down";
        if (c.worker().availability() != Availability.ACTIVE) return "draining";
        return null;
    };

    /** The task's conditions on worker labels ({@code zone==a}, {@code disk!=hdd}). */
    public static final Filter CONSTRAINTS = (task, c) -> {
        if (task.invalid() != null) return task.invalid();
        for (Constraint constraint : task.constraints()) {
            if (!constraint.matches(c.worker().labels())) return "constraint " + constraint + " not met";
        }
        return null;
    };

    public static final Filter CPU = (task, c) ->
            task.milliCpus() <= c.freeMilliCpus() ? null : "insufficient cpu";

    public static final Filter MEMORY = (task, c) ->
            task.memoryBytes() <= c.freeMemoryBytes() ? null : "insufficient memory";

    /** A host port can be published by one task per worker; host port 0 takes any free port and never conflicts. */
    public static final Filter HOST_PORTS = (task, c) -> {
        for (String port : task.hostPorts()) {
            if (c.allocated().hostPorts().contains(port)) {
                return "port " + (port.endsWith("/tcp") ? port.substring(0, port.length() - 4) : port) + " in use";
            }
        }
        return null;
    };

    /**
     * The order decides which reason a rejected worker counts under (its first failing filter):
     * "down" and "draining" first, as the plainest; then constraints, the user's own choice, which
     * more capacity would not change; then the resources, cheapest check first.
     */
    public static final List<Filter> STANDARD = List.of(READY, CONSTRAINTS, CPU, MEMORY, HOST_PORTS);
}
