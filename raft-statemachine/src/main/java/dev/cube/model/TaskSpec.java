package dev.cube.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Map;

/**
 * What the user asked for: validated at the gateway before it reaches the log.
 *
 * @param cpus        CPU share, in cores (0.5 = half a core)
 * @param memoryBytes memory limit in bytes
 * @param constraints conditions on worker labels, such as {@code zone==a} or {@code disk!=hdd}
 * @param restart     what to do when the container ends
 * @param volumes     folders of the shared storage bound into the container
 */
public record TaskSpec(
        String name,
        String image,
        List<String> command,
        Map<String, String> env,
        double cpus,
        long memoryBytes,
        List<PortMapping> ports,
        Map<String, String> labels,
        List<String> constraints,
        RestartPolicy restart,
        List<VolumeMount> volumes) {

    @JsonCreator
    public TaskSpec {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        ports = ports == null ? List.of() : List.copyOf(ports);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        constraints = constraints == null ? List.of() : List.copyOf(constraints);
        restart = restart == null ? RestartPolicy.NEVER : restart;
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** A spec without constraints, restart policy or volumes. */
    public TaskSpec(String name, String image, List<String> command, Map<String, String> env, double cpus,
            long memoryBytes, List<PortMapping> ports, Map<String, String> labels) {
        this(name, image, command, env, cpus, memoryBytes, ports, labels, List.of(), RestartPolicy.NEVER, List.of());
    }
}
