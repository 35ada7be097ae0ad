package dev.cube.worker.runtime;

import java.util.List;
import java.util.Map;

/**
 * The worker's view of a container engine. Only the Docker implementation imports docker-java.
 * A worker touches only containers labelled with its own id ({@link #WORKER_LABEL}).
 */
public interface ContainerRuntime extends AutoCloseable {

    String TASK_ID_LABEL = "cube.task.id";
    String TASK_NAME_LABEL = "cube.task.name";
    /** Which attempt of the task the container runs: a task placed again is a new attempt. */
    String TASK_ATTEMPT_LABEL = "cube.task.attempt";
    String WORKER_LABEL = "cube.worker.id";

    /**
     * Creates and starts a container for the task, pulling the image if it is missing (bounded by
     * the runtime's pull timeout). Returns the container id.
     *
     * @throws RuntimeFailure with a sentence naming the cause (image not present and not pullable,
     *                        port taken, ...) when the container cannot start
     */
    String start(ContainerRequest request) throws RuntimeFailure;

    /** Stops (init process: quick) and removes the container; a missing container is not an error. */
    void stopAndRemove(String containerId) throws RuntimeFailure;

    /** Every container labelled with this worker id, running or exited. */
    List<ContainerStatus> list(String workerId) throws RuntimeFailure;

    /** Host CPUs and memory, as the engine reports them. */
    Capacity capacity() throws RuntimeFailure;

    /** Calls {@code onChange} (off the caller's thread) whenever one of the worker's containers dies. */
    void watch(String workerId, Runnable onChange);

    /**
     * Streams the container's output (stdout and stderr, in the order written) to {@code onChunk},
     * off the caller's thread; {@code onEnd} runs once at the end (null error when the output is done:
     * at once without {@code follow}, when the container stops with it). {@code tail} null means all
     * lines. Closing the returned handle stops the stream early.
     */
    default java.io.Closeable logs(String containerId, Integer tail, boolean follow,
                                   java.util.function.Consumer<byte[]> onChunk,
                                   java.util.function.Consumer<Throwable> onEnd) throws RuntimeFailure {
        throw new RuntimeFailure("this container runtime serves no logs", null);
    }

    /**
     * One sample of a running container's resource use; empty if it is not running. Slow (Docker
     * takes about a second per sample): never call it on a hot path.
     */
    default java.util.Optional<Usage> usage(String containerId) throws RuntimeFailure {
        return java.util.Optional.empty();
    }

    @Override
    void close();

    /**
     * @param cpuCores    CPU in use over the sample, in cores (0.5 = half a core)
     * @param cpuSeconds  CPU time used since the container started
     * @param memoryBytes memory in use, page cache excluded
     * @param memoryLimitBytes the container's limit (the host's memory when it has none)
     */
    record Usage(double cpuCores, double cpuSeconds, long memoryBytes, long memoryLimitBytes) {}

    record ContainerRequest(String workerId, String taskId, int attempt, String taskName, String image, List<String> command,
                            Map<String, String> env, double cpus, long memoryBytes,
                            List<Port> ports, Map<String, String> labels, List<Bind> binds) {
        public ContainerRequest {
            binds = binds == null ? List.of() : List.copyOf(binds);
        }

        /** A request without bound folders. */
        public ContainerRequest(String workerId, String taskId, int attempt, String taskName, String image,
                                List<String> command, Map<String, String> env, double cpus, long memoryBytes,
                                List<Port> ports, Map<String, String> labels) {
            this(workerId, taskId, attempt, taskName, image, command, env, cpus, memoryBytes, ports, labels, List.of());
        }
    }

    /** A folder of this machine ({@code hostPath}, absolute, existing) bound at {@code containerPath}. */
    record Bind(String hostPath, String containerPath, boolean readOnly) {}

    record Port(int hostPort, int containerPort, String protocol) {}

    /** {@code exitCode} is null while running; {@code error} is the engine's sentence, if any (OOM kill...). */
    record ContainerStatus(String containerId, String taskId, int attempt, boolean running, Integer exitCode, String error) {}

    record Capacity(double cpus, long memoryBytes) {}

    /** The engine refused or failed; the message is fit to show a user. */
    class RuntimeFailure extends Exception {
        public RuntimeFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
