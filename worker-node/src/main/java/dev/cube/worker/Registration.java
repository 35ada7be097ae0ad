package dev.cube.worker;

import java.util.Map;

/**
 * Body of {@code POST /workers/register}; {@code memory} is in bytes; {@code agentUrl} (left out when
 * null) is where this worker's agent serves container logs to the managers.
 */
public record Registration(String id, String name, String host, double cpus, long memory, Map<String, String> labels,
                           String agentUrl) {}
