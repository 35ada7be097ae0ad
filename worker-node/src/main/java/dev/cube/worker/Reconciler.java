package dev.cube.worker;

import dev.cube.model.DesiredState;
import dev.cube.model.PortMapping;
import dev.cube.model.Task;
import dev.cube.model.TaskState;
import dev.cube.worker.ManagerClient.ReportResult;
import dev.cube.worker.runtime.ContainerRuntime;
import dev.cube.worker.runtime.ContainerRuntime.ContainerRequest;
import dev.cube.worker.runtime.ContainerRuntime.ContainerStatus;
import dev.cube.worker.runtime.ContainerRuntime.RuntimeFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Level-triggered reconciliation: each pass compares the latest assignments with the containers labelled
 * with this worker and acts (start, stop, report). A pass keeps no queue: whatever failed (a report lost on
 * the network, a stop that failed) is simply seen again on the next pass.
 *
 * <p>Container operations run on {@code executor}, at most one per task at a time (the in-flight set),
 * so a slow start never blocks a pass and a task is never started twice.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** Sends one observed state of a task to the managers. */
    @FunctionalInterface
    public interface StatusReporter {
        ReportResult report(String taskId, TaskState state, String containerId, Integer exitCode, String error)
                throws IOException, InterruptedException;
    }

    private record Reported(TaskState state, boolean accepted) {}

    private final String workerId;
    private final String workerName;
    private final SharedStorage storage;
    private final ContainerRuntime runtime;
    private final StatusReporter reporter;
    private final Executor executor;
    private final Runnable wake;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /** By {@link #run}: a restarted task is a new run, with its own start and reports. */
    private final Map<String, String> startFailures = new ConcurrentHashMap<>();
    private final Map<String, Reported> lastReported = new ConcurrentHashMap<>();

    /**
     * @param executor runs container operations (a direct executor in tests)
     * @param wake     called when an operation finished, to ask for another pass soon
     */
    public Reconciler(String workerId, ContainerRuntime runtime, StatusReporter reporter, Executor executor,
                      Runnable wake) {
        this(workerId, workerId, null, runtime, reporter, executor, wake);
    }

    /** @param storageDir where the shared storage is mounted here (null: tasks with volumes fail to start) */
    Reconciler(String workerId, String workerName, Path storageDir, ContainerRuntime runtime,
               StatusReporter reporter, Executor executor, Runnable wake) {
        this.workerId = workerId;
        this.workerName = workerName;
        this.storage = new SharedStorage(storageDir);
        this.runtime = runtime;
        this.reporter = reporter;
        this.executor = executor;
        this.wake = wake;
    }

    /** One pass over {@code assignments}. Never throws for a runtime or network failure: it logs and waits for the next pass. */
    public void reconcile(Assignments assignments) throws InterruptedException {
        Set<String> busy = Set.copyOf(inFlight); // before list(): a finished operation is then visible in the list
        List<ContainerStatus> containers;
        try {
            containers = runtime.list(workerId);
        } catch (RuntimeFailure e) {
            log.warn("worker {}: cannot list containers: {}", workerId, e.getMessage());
            return;
        }
        Map<String, Integer> attempts = new HashMap<>();
        assignments.tasks().forEach(t -> attempts.put(t.id(), t.attempt()));
        // Only a container of the task's current attempt counts: an earlier attempt's is history.
        Map<String, ContainerStatus> byTask = new HashMap<>();
        for (ContainerStatus c : containers) {
            if (c.taskId() != null && Integer.valueOf(c.attempt()).equals(attempts.get(c.taskId()))) {
                byTask.merge(c.taskId(), c, (a, b) -> a.running() ? a : b);
            }
        }
        for (Task task : assignments.tasks()) {
            if (!busy.contains(task.id())) {
                reconcileTask(task, byTask.get(task.id()));
            }
        }
        for (ContainerStatus c : containers) {
            if (c.taskId() != null && c.running() && byTask.get(c.taskId()) != c && !busy.contains(c.taskId())) {
                log.info("task {} on worker {}: container {} is not its current attempt here; stopping it",
                        c.taskId(), workerId, shortId(c.containerId()));
                stop(c.taskId(), c.containerId());
            }
        }
        Set<String> runs = new HashSet<>();
        assignments.tasks().forEach(t -> runs.add(run(t)));
        lastReported.keySet().retainAll(runs);
        startFailures.keySet().retainAll(runs);
    }

    private void reconcileTask(Task task, ContainerStatus container) throws InterruptedException {
        if (task.desiredState() == DesiredState.STOPPED) {
            if (container != null) {
                log.info("task {} ({}) on worker {}: desired stopped; stopping container {}",
                        task.id(), task.name(), workerId, shortId(container.containerId()));
                stop(task.id(), container.containerId());
            } else {
                report(task, TaskState.STOPPED, null, null, null);
            }
            return;
        }
        String failure = startFailures.get(run(task));
        if (task.state() == TaskState.SCHEDULED) {
            if (failure != null) {
                report(task, TaskState.FAILED, null, null, failure);
            } else if (container == null) {
                start(task);
            } else if (container.running()) {
                report(task, TaskState.RUNNING, container.containerId(), null, null);
            } else {
                reportExit(task, container);
            }
        } else if (task.state() == TaskState.RUNNING) {
            if (container == null) {
                report(task, TaskState.FAILED, null, null, "container disappeared");
            } else if (!container.running()) {
                reportExit(task, container);
            }
        }
    }

    private void reportExit(Task task, ContainerStatus c) throws InterruptedException {
        Integer code = c.exitCode();
        if (code != null && code == 0 && c.error() == null) {
            report(task, TaskState.COMPLETED, c.containerId(), 0, null);
        } else {
            String error = c.error() != null ? c.error()
                    : code != null ? "exited with code " + code : "container is not running";
            report(task, TaskState.FAILED, c.containerId(), code, error);
        }
    }

    private void report(Task task, TaskState state, String containerId, Integer exitCode, String error)
            throws InterruptedException {
        Reported previous = lastReported.get(run(task));
        if (task.state() == state || (previous != null && previous.state() == state)) {
            return;
        }
        try {
            ReportResult result = reporter.report(task.id(), state, containerId, exitCode, error);
            lastReported.put(run(task), new Reported(state, result == ReportResult.ACCEPTED));
            log.info("task {} ({}) on worker {}: reported {}{}{} -> {}", task.id(), task.name(), workerId,
                    state.json(), exitCode == null ? "" : " exit " + exitCode, error == null ? "" : " (" + error + ")",
                    result.name().toLowerCase());
        } catch (IOException e) {
            log.debug("task {} on worker {}: report {} failed, will retry: {}", task.id(), workerId, state.json(),
                    e.getMessage());
        }
    }

    /** Forgets refused reports, e.g. after a new registration: with a new session they may be accepted. */
    public void forgetRefusals() {
        lastReported.values().removeIf(r -> !r.accepted());
    }

    private void start(Task task) {
        submit(task.id(), () -> {
            long began = System.nanoTime();
            try {
                String id = runtime.start(request(workerId, task, storage.binds(task, workerName)));
                log.info("task {} ({}) on worker {}: started container {} in {} ms", task.id(), task.name(), workerId,
                        shortId(id), (System.nanoTime() - began) / 1_000_000);
                report(task, TaskState.RUNNING, id, null, null);   // at once, not on the next pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeFailure e) {
                log.warn("task {} ({}) on worker {}: start failed: {}", task.id(), task.name(), workerId, e.getMessage());
                startFailures.put(run(task), e.getMessage());
            }
        }, "task " + task.id() + " (" + task.name() + ") on worker " + workerId + ": starting image " + task.spec().image());
    }

    private void stop(String taskId, String containerId) {
        submit(taskId, () -> {
            try {
                runtime.stopAndRemove(containerId);
                log.info("task {} on worker {}: container {} stopped and removed", taskId, workerId, shortId(containerId));
            } catch (RuntimeFailure e) {
                log.warn("task {} on worker {}: could not stop container {}: {}", taskId, workerId,
                        shortId(containerId), e.getMessage());
            }
        }, null);
    }

    private void submit(String taskId, Runnable operation, String startLog) {
        if (!inFlight.add(taskId)) {
            return;
        }
        if (startLog != null) {
            log.info(startLog);
        }
        try {
            executor.execute(() -> {
                try {
                    operation.run();
                } finally {
                    inFlight.remove(taskId);
                    wake.run();
                }
            });
        } catch (RejectedExecutionException shuttingDown) {
            inFlight.remove(taskId);
        }
    }

    static ContainerRequest request(String workerId, Task task, List<ContainerRuntime.Bind> binds) {
        var spec = task.spec();
        List<ContainerRuntime.Port> ports = spec.ports().stream()
                .map((PortMapping p) -> new ContainerRuntime.Port(p.hostPort(), p.containerPort(),
                        p.protocol() == null ? "tcp" : p.protocol()))
                .toList();
        return new ContainerRequest(workerId, task.id(), task.attempt(), task.name(), spec.image(), spec.command(), spec.env(),
                spec.cpus(), spec.memoryBytes(), ports, spec.labels(), binds);
    }

    /** One attempt of a task. */
    private static String run(Task task) {
        return task.id() + "#" + task.attempt();
    }

    private static String shortId(String containerId) {
        return containerId == null ? "-" : containerId.substring(0, Math.min(12, containerId.length()));
    }
}
