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

    @Override
    void close();

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
