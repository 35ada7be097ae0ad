package dev.cube.manager.scheduler;

import dev.cube.model.Constraint;
import dev.cube.model.TaskSpec;
import dev.cube.store.Allocation;
import java.util.ArrayList;
import java.util.List;

/**
 * What one task asks of a worker, worked out once per task and pass so that filters and scorers
 * compare numbers rather than re-reading the spec. Tasks with equal demands fit the same workers.
 *
 * @param hostPorts   the host ports it publishes, as {@code "8080/tcp"} (host port 0 is never held)
 * @param constraints its parsed constraints on worker labels
 * @param invalid     why a constraint could not be read (the gateway refuses such specs), or null
 */
public record Demand(long milliCpus, long memoryBytes, List<String> hostPorts, List<Constraint> constraints,
                     String invalid) {

    public static Demand of(TaskSpec spec) {
        List<Constraint> constraints = new ArrayList<>(spec.constraints().size());
        String invalid = null;
        for (String text : spec.constraints()) {
            try {
                constraints.add(Constraint.parse(text));
            } catch (IllegalArgumentException e) {
                invalid = "invalid constraint " + e.getMessage();
            }
        }
        return new Demand(Allocation.milliCpus(spec.cpus()), spec.memoryBytes(), Allocation.hostPorts(spec),
                List.copyOf(constraints), invalid);
    }
}
