package dev.cube.model;

/**
 * A folder of the workers' shared storage bound into the container: {@code source} is relative to
 * the shared mount (validated at the gateway never to leave it), {@code target} an absolute path
 * inside the container.
 */
public record VolumeMount(String source, String target, boolean readOnly) {}
