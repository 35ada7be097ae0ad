package dev.cube.worker;

import java.util.Map;

/**
 * Body of {@code POST /workers/register}; {@code memory} is in bytes; {@code agentUrl} (left out when
 * null) is where this worker's agent serves container logs to the managers; {@code secret} proves the
 * id (see {@link WorkerIdentity}).
 */
public record Registration(String id, String name, String host, double cpus, long memory, Map<String, String> labels,
                           String agentUrl, String secret) {

    /** Not logged by accident: the secret is left out. */
    @Override
    public String toString() {
        return "Registration[id=" + id + ", name=" + name + ", host=" + host + ", cpus=" + cpus + ", memory=" + memory
                + ", labels=" + labels + ", agentUrl=" + agentUrl + "]";
    }
}
