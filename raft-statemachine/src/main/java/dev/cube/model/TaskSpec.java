package dev.cube.model;

import java.util.List;
import java.util.Map;

/**
 * What the user asked for: validated at the gateway before it reaches the log.
 *
 * @param cpus        CPU share, in cores (0.5 = half a core)
 * @param memoryBytes memory limit in bytes
 */
public record TaskSpec(
        String name,
        String image,
        List<String> command,
        Map<String, String> env,
        double cpus,
        long memoryBytes,
        List<PortMapping> ports,
        Map<String, String> labels) {

    public TaskSpec {
        command = command == null ? List.of() : List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        ports = ports == null ? List.of() : List.copyOf(ports);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
