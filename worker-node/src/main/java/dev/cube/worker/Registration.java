package dev.cube.worker;

import java.util.Map;

/** Body of {@code POST /workers/register}; {@code memory} is in bytes. */
public record Registration(String id, String name, String host, double cpus, long memory, Map<String, String> labels) {}
