package dev.cube.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.model.DesiredState;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.worker.ManagerClient.ReportResult;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The decision logic of the reconciler on a fake runtime, with container operations run inline. */
class ReconcilerTest {
    static final String WORKER = "w1";

    record Sent(String taskId, TaskState state, String containerId, Integer exitCode, String error) {}

    final FakeContainerRuntime runtime = new FakeContainerRuntime();
    final List<Sent> sent = new ArrayList<>();
    ReportResult answer = ReportResult.ACCEPTED;
    boolean networkDown;
    final Reconciler reconciler = new Reconciler(WORKER, runtime, (taskId, state, cid, exit, error) -> {
        if (networkDown) {
            throw new IOException("connection refused");
        }
        sent.add(new Sent(taskId, state, cid, exit, error));
        return answer;
    }, Runnable::run, () -> {});

    static Task task(String id, TaskState state, DesiredState desired) {
        TaskSpec spec = new TaskSpec("job-" + id, "cube-demo:latest", List.of("sleep", "30"), Map.of(), 0.5, 64L << 20,
                List.of(), Map.of());
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        return new Task(id, spec.name(), spec, desired, state, WORKER, "worker-1", null, null, null, null, t, t, null,
                null, t, 1);
    }

    void pass(Task... tasks) throws InterruptedException {
        reconciler.reconcile(new Assignments(1, List.of(tasks)));
    }

    @Test
    void anEarlierAttemptsContainerIsNeitherReportedNorKeptRunning() throws Exception {
        Task first = task("t1", TaskState.SCHEDULED, DesiredState.RUNNING);
        Task third = new Task(first.id(), first.name(), first.spec(), first.desiredState(), first.state(), WORKER,
                "worker-1", null, null, null, null, first.createdAt(), first.scheduledAt(), null, null,
                first.updatedAt(), 9, 3, List.of());
        String exited = runtime.put(WORKER, "t1", 1, false, 0, null);
        String running = runtime.put(WORKER, "t1", 2, true, null, null);
        pass(third);
        assertEquals(List.of(running), runtime.stops, "attempt 2's container stops");
        assertEquals(1, runtime.starts.size(), "attempt 3 starts its own container");
        assertEquals(3, runtime.starts.getFirst().attempt());
        assertTrue(sent.stream().noneMatch(s -> exited.equals(s.containerId())), "attempt 1's exit is not reported: " + sent);
    }

    @Test
    void scheduledTaskIsStartedOnceThenReportedRunningOnce() throws Exception {
        Task t = task("t1", TaskState.SCHEDULED, DesiredState.RUNNING);
        pass(t);
        assertEquals(1, runtime.starts.size());
        assertEquals(WORKER, runtime.starts.getFirst().workerId());
        pass(t);
        pass(t);
        assertEquals(1, runtime.starts.size(), "never started twice");
        String cid = runtime.list(WORKER).getFirst().containerId();
        assertEquals(List.of(new Sent("t1", TaskState.RUNNING, cid, null, null)), sent, "reported once");
    }

    @Test
    void startInFlightIsNotRepeated() throws Exception {
        List<Runnable> pending = new ArrayList<>();
        Reconciler slow = new Reconciler(WORKER, runtime, (a, b, c, d, e) -> ReportResult.ACCEPTED, pending::add, () -> {});
        Task t = task("t1", TaskState.SCHEDULED, DesiredState.RUNNING);
        slow.reconcile(new Assignments(1, List.of(t)));
        slow.reconcile(new Assignments(1, List.of(t)));
        assertEquals(1, pending.size());
        pending.getFirst().run();
        slow.reconcile(new Assignments(1, List.of(t)));
        assertEquals(1, runtime.starts.size());
    }

    @Test
    void startFailureIsReportedAsFailedWithTheRuntimeMessage() throws Exception {
        runtime.failingImages.put("cube-demo:latest", "image 'cube-demo:latest' is not present on this worker and could not be pulled: x");
        Task t = task("t1", TaskState.SCHEDULED, DesiredState.RUNNING);
        pass(t);
        pass(t);
        pass(t);
        assertEquals(1, runtime.starts.size());
        assertEquals(List.of(new Sent("t1", TaskState.FAILED, null, null,
                "image 'cube-demo:latest' is not present on this worker and could not be pulled: x")), sent);
    }

    @Test
    void exitsAreReportedAsCompletedOrFailed() throws Exception {
        String ok = runtime.put(WORKER, "ok", false, 0, null);
        String bad = runtime.put(WORKER, "bad", false, 3, null);
        String oom = runtime.put(WORKER, "oom", false, 137, "OOM killed");
        pass(task("ok", TaskState.RUNNING, DesiredState.RUNNING), task("bad", TaskState.RUNNING, DesiredState.RUNNING),
                task("oom", TaskState.SCHEDULED, DesiredState.RUNNING));
        assertTrue(sent.contains(new Sent("ok", TaskState.COMPLETED, ok, 0, null)), sent.toString());
        assertTrue(sent.contains(new Sent("bad", TaskState.FAILED, bad, 3, "exited with code 3")), sent.toString());
        assertTrue(sent.contains(new Sent("oom", TaskState.FAILED, oom, 137, "OOM killed")), sent.toString());
        assertEquals(3, runtime.containers.size(), "exited containers stay for their logs");
    }

    @Test
    void runningTaskWithoutContainerFails() throws Exception {
        pass(task("t1", TaskState.RUNNING, DesiredState.RUNNING));
        assertEquals(List.of(new Sent("t1", TaskState.FAILED, null, null, "container disappeared")), sent);
        assertTrue(runtime.starts.isEmpty());
    }

    @Test
    void adoptsARunningContainerAfterARestart() throws Exception {
        String cid = runtime.put(WORKER, "t1", true, null, null);
        pass(task("t1", TaskState.SCHEDULED, DesiredState.RUNNING));
        assertTrue(runtime.starts.isEmpty());
        assertEquals(List.of(new Sent("t1", TaskState.RUNNING, cid, null, null)), sent);
        sent.clear();
        pass(task("t1", TaskState.RUNNING, DesiredState.RUNNING));
        assertTrue(sent.isEmpty());
    }

    @Test
    void desiredStoppedStopsTheContainerThenReportsStopped() throws Exception {
        String cid = runtime.put(WORKER, "t1", true, null, null);
        Task t = task("t1", TaskState.RUNNING, DesiredState.STOPPED);
        pass(t);
        assertEquals(List.of(cid), runtime.stops);
        pass(t);
        assertEquals(List.of(new Sent("t1", TaskState.STOPPED, null, null, null)), sent);
    }

    @Test
    void runningContainersOfUnassignedTasksAreStoppedExitedOnesStay() throws Exception {
        String orphan = runtime.put(WORKER, "gone", true, null, null);
        String exited = runtime.put(WORKER, "done", false, 0, null);
        String otherWorker = runtime.put("w2", "theirs", true, null, null);
        pass();
        assertEquals(List.of(orphan), runtime.stops);
        assertTrue(runtime.containers.containsKey(exited));
        assertTrue(runtime.containers.containsKey(otherWorker));
        assertTrue(sent.isEmpty());
    }

    @Test
    void aReportLostOnTheNetworkIsRetriedOnTheNextPass() throws Exception {
        String cid = runtime.put(WORKER, "t1", false, 0, null);
        Task t = task("t1", TaskState.RUNNING, DesiredState.RUNNING);
        networkDown = true;
        pass(t);
        assertTrue(sent.isEmpty());
        networkDown = false;
        pass(t);
        pass(t);
        assertEquals(List.of(new Sent("t1", TaskState.COMPLETED, cid, 0, null)), sent);
    }

    @Test
    void aRefusedReportIsNotRetriedUntilANewSession() throws Exception {
        runtime.put(WORKER, "t1", false, 3, null);
        Task t = task("t1", TaskState.RUNNING, DesiredState.RUNNING);
        answer = ReportResult.REFUSED;
        pass(t);
        pass(t);
        assertEquals(1, sent.size());
        reconciler.forgetRefusals();
        answer = ReportResult.ACCEPTED;
        pass(t);
        pass(t);
        assertEquals(2, sent.size());
    }

    @Test
    void aRestartedTasksNewAttemptIsReportedAgainThoughItEndsTheSameWay() throws Exception {
        runtime.put(WORKER, "t1", 1, false, 3, null);
        Task first = task("t1", TaskState.RUNNING, DesiredState.RUNNING);
        pass(first);
        Task second = new Task(first.id(), first.name(), first.spec(), first.desiredState(), TaskState.RUNNING, WORKER,
                "worker-1", null, null, null, null, first.createdAt(), first.scheduledAt(), null, null,
                first.updatedAt(), 9, 2, List.of());
        runtime.put(WORKER, "t1", 2, false, 3, null);
        pass(second);
        assertEquals(List.of(TaskState.FAILED, TaskState.FAILED), sent.stream().map(Sent::state).toList(), sent::toString);
    }

    @Test
    void aTaskWithVolumesFailsOnAWorkerWithoutSharedStorage() throws Exception {
        Task plain = task("t1", TaskState.SCHEDULED, DesiredState.RUNNING);
        TaskSpec s = plain.spec();
        TaskSpec withVolume = new TaskSpec(s.name(), s.image(), s.command(), s.env(), s.cpus(), s.memoryBytes(), s.ports(),
                s.labels(), List.of(), null, List.of(new dev.cube.model.VolumeMount("web/data", "/data", false)));
        Task t = new Task(plain.id(), plain.name(), withVolume, plain.desiredState(), plain.state(), WORKER, "worker-1",
                null, null, null, null, plain.createdAt(), plain.scheduledAt(), null, null, plain.updatedAt(), 1);
        pass(t);
        pass(t);
        assertTrue(runtime.starts.isEmpty());
        assertEquals(1, sent.size(), sent::toString);
        assertEquals(TaskState.FAILED, sent.getFirst().state());
        assertTrue(sent.getFirst().error().contains("--storage-dir"), sent::toString);
    }

    @Test
    void volumesAreFoldersOfTheSharedStorageCreatedWhenMissing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path storage)
            throws Exception {
        Reconciler withStorage = new Reconciler(WORKER, "worker-1", storage, runtime, (a, b, c, d, e) -> ReportResult.ACCEPTED,
                Runnable::run, () -> {});
        Task plain = task("t1", TaskState.SCHEDULED, DesiredState.RUNNING);
        TaskSpec s = plain.spec();
        TaskSpec withVolume = new TaskSpec(s.name(), s.image(), s.command(), s.env(), s.cpus(), s.memoryBytes(), s.ports(),
                s.labels(), List.of(), null, List.of(new dev.cube.model.VolumeMount("web/data", "/data", true)));
        Task t = new Task(plain.id(), plain.name(), withVolume, plain.desiredState(), plain.state(), WORKER, "worker-1",
                null, null, null, null, plain.createdAt(), plain.scheduledAt(), null, null, plain.updatedAt(), 1);
        withStorage.reconcile(new Assignments(1, List.of(t)));
        assertEquals(1, runtime.starts.size());
        java.nio.file.Path folder = storage.resolve("web/data");
        assertTrue(java.nio.file.Files.isDirectory(folder));
        assertEquals(List.of(new dev.cube.worker.runtime.ContainerRuntime.Bind(folder.toRealPath().toString(), "/data", true)),
                runtime.starts.getFirst().binds());
    }
}
