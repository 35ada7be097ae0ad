package dev.cube.worker;

import dev.cube.worker.runtime.ContainerRuntime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** An in-memory {@link ContainerRuntime} for tests: containers are entries in a map. */
final class FakeContainerRuntime implements ContainerRuntime {
    record FakeContainer(String id, String workerId, String taskId, int attempt, boolean running, Integer exitCode, String error) {}

    final Map<String, FakeContainer> containers = new ConcurrentHashMap<>();
    final List<ContainerRequest> starts = new ArrayList<>();
    final List<String> stops = new ArrayList<>();
    final Map<String, String> failingImages = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public synchronized String start(ContainerRequest request) throws RuntimeFailure {
        starts.add(request);
        String failure = failingImages.get(request.image());
        if (failure != null) {
            throw new RuntimeFailure(failure, null);
        }
        String id = "c" + ids.incrementAndGet();
        containers.put(id, new FakeContainer(id, request.workerId(), request.taskId(), request.attempt(), true, null, null));
        return id;
    }

    /** Adds a container as if created earlier (by a previous run of the worker). */
    String put(String workerId, String taskId, boolean running, Integer exitCode, String error) {
        return put(workerId, taskId, 1, running, exitCode, error);
    }

    String put(String workerId, String taskId, int attempt, boolean running, Integer exitCode, String error) {
        String id = "c" + ids.incrementAndGet();
        containers.put(id, new FakeContainer(id, workerId, taskId, attempt, running, exitCode, error));
        return id;
    }

    void exit(String containerId, int code, String error) {
        containers.computeIfPresent(containerId, (k, c) -> new FakeContainer(k, c.workerId(), c.taskId(), c.attempt(), false, code, error));
    }

    @Override
    public synchronized void stopAndRemove(String containerId) {
        stops.add(containerId);
        containers.remove(containerId);
    }

    @Override
    public List<ContainerStatus> list(String workerId) {
        return containers.values().stream().filter(c -> c.workerId().equals(workerId))
                .map(c -> new ContainerStatus(c.id(), c.taskId(), c.attempt(), c.running(), c.exitCode(), c.error())).toList();
    }

    @Override
    public Capacity capacity() {
        return new Capacity(4, 8L << 30);
    }

    @Override
    public void watch(String workerId, Runnable onChange) {}

    @Override
    public void close() {}
}
