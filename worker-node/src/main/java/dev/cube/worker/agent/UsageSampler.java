package dev.cube.worker.agent;

import com.codahale.metrics.Timer;
import dev.cube.worker.runtime.ContainerRuntime;
import dev.cube.worker.runtime.ContainerRuntime.ContainerStatus;
import dev.cube.worker.runtime.ContainerRuntime.RuntimeFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the CPU and memory of this worker's running containers every {@code period}, on its own
 * thread (a Docker stats sample takes about a second; the containers are sampled in parallel), and
 * keeps the latest in {@link TaskUsage}. Never on the path of starting or reporting tasks.
 */
public final class UsageSampler implements AutoCloseable {
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(UsageSampler.class);

    private final ContainerRuntime runtime;
    private final String workerId;
    private final Function<String, String> taskNames;
    private final TaskUsage usage;
    private final Timer passes;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("cube-worker-usage").daemon().unstarted(r));
    private final ExecutorService samples = Executors.newVirtualThreadPerTaskExecutor();

    /** {@code taskNames} gives a task's name from its id (null if unknown). */
    public UsageSampler(ContainerRuntime runtime, String workerId, Function<String, String> taskNames,
                        WorkerMetrics metrics) {
        this.runtime = runtime;
        this.workerId = workerId;
        this.taskNames = taskNames;
        this.usage = metrics.taskUsage();
        this.passes = metrics.registry().timer("cube.worker.usage.sample.passes");
    }

    public UsageSampler start(Duration period) {
        timer.scheduleWithFixedDelay(this::sampleQuietly, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void sampleQuietly() {
        try (Timer.Context ignored = passes.time()) {
            sample();
        } catch (RuntimeException | RuntimeFailure e) {
            log.debug("worker {}: usage sample failed: {}", workerId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One pass: every running container of this worker, sampled in parallel. */
    void sample() throws RuntimeFailure, InterruptedException {
        List<ContainerStatus> running = runtime.list(workerId).stream()
                .filter(c -> c.running() && c.taskId() != null).toList();
        List<Future<?>> pending = new ArrayList<>();
        for (ContainerStatus c : running) {
            pending.add(samples.submit(() -> {
                try {
                    runtime.usage(c.containerId()).ifPresent(u -> usage.update(c.taskId(), taskNames.apply(c.taskId()), u));
                } catch (RuntimeFailure e) {
                    log.debug("worker {}: no usage sample of container {}: {}", workerId, c.containerId(), e.getMessage());
                }
                return null;
            }));
        }
        for (Future<?> f : pending) {
            try {
                f.get(15, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                f.cancel(true);
            }
        }
        Set<String> tasks = running.stream().map(ContainerStatus::taskId).collect(Collectors.toSet());
        usage.retain(tasks);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        samples.shutdownNow();
    }
}
