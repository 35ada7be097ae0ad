package dev.cube.worker.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on a Docker engine through docker-java; the only class of Cube that imports
 * docker-java. Speaks API 1.41 (dockerd 20.10 answers 400 to 1.44+ and docker-java does not negotiate).
 */
public final class DockerRuntime implements ContainerRuntime {
    private static final Logger log = LoggerFactory.getLogger(DockerRuntime.class);
    static final String API_VERSION = "1.41";
    /** Stop grace period; tasks run under an init process, so a stop normally takes ~100 ms. */
    private static final int STOP_TIMEOUT_SECONDS = 10;
    private static final long MAX_EVENT_BACKOFF_MS = 5_000;
    /** Limits of a task that reached the worker without any (the manager gives every new task limits). */
    static final double DEFAULT_CPUS = 0.1;
    static final long DEFAULT_MEMORY = 128L << 20;

    private final DockerClient docker;
    /** A second client without a response timeout: the events stream may stay silent for hours. */
    private final DockerClient events;
    private final Duration pullTimeout;
    private final List<Closeable> watches = new CopyOnWriteArrayList<>();
    private final List<Thread> watchThreads = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    /** Connects to {@code DOCKER_HOST}, or {@code unix:///var/run/docker.sock} when it is unset. */
    public DockerRuntime(Duration pullTimeout) {
        this(dockerHostFromEnvironment(), pullTimeout);
    }

    public DockerRuntime(String dockerHost, Duration pullTimeout) {
        this.pullTimeout = pullTimeout;
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(dockerHost)
                .withApiVersion(API_VERSION)
                .build();
        this.docker = client(config, Duration.ofSeconds(STOP_TIMEOUT_SECONDS + 50));
        this.events = client(config, null);
    }

    private static DockerClient client(DockerClientConfig config, Duration responseTimeout) {
        ZerodepDockerHttpClient.Builder http = new ZerodepDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(32)
                .connectionTimeout(Duration.ofSeconds(5));
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    static String dockerHostFromEnvironment() {
        String host = System.getenv("DOCKER_HOST");
        return host == null || host.isBlank() ? "unix:///var/run/docker.sock" : host;
    }

    /**
     * {@code cube-<taskName>-<taskId, 8 chars>-<workerId, 8 chars>}, reduced to the characters Docker
     * accepts. The worker's part keeps two workers on one dockerd apart when a task moves between them.
     */
    static String containerName(String taskName, String taskId, String workerId) {
        return ("cube-" + taskName + "-" + prefix(taskId) + "-" + prefix(workerId)).replaceAll("[^a-zA-Z0-9_.-]", "_");
    }

    private static String prefix(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    @Override
    public String start(ContainerRequest request) throws RuntimeFailure {
        String name = containerName(request.taskName(), request.taskId(), request.workerId());
        String id;
        try {
            id = createPulling(request, name);
        } catch (ConflictException e) {
            // Same task, earlier attempt (e.g. the worker died between create and start).
            Optional<String> running = runningContainerNamed(name);
            if (running.isPresent()) {
                return running.get();
            }
            removeQuietly(name);
            try {
                id = create(request, name);
            } catch (DockerException again) {
                throw failure("could not create the container for task '" + request.taskName() + "'", again);
            }
        } catch (DockerException e) {
            throw failure("could not create the container for task '" + request.taskName() + "'", e);
        }
        try {
            docker.startContainerCmd(id).exec();
            return id;
        } catch (RuntimeException e) {
            removeQuietly(id);
            throw failure("could not start the container for task '" + request.taskName() + "'", e);
        }
    }

    /**
     * Creates the container, pulling its image first only when the engine does not have it (its
     * create answers 404): a start costs two engine calls, create and start, when the image is
     * present, as it is for every start but the first.
     */
    private String createPulling(ContainerRequest request, String name) throws RuntimeFailure {
        try {
            return create(request, name);
        } catch (NotFoundException missingImage) {
            ensureImage(request.image());
            return create(request, name);
        }
    }

    private String create(ContainerRequest request, String name) {
        Map<String, String> labels = new LinkedHashMap<>(request.labels() == null ? Map.of() : request.labels());
        labels.put(TASK_ID_LABEL, request.taskId());
        labels.put(TASK_NAME_LABEL, request.taskName());
        labels.put(TASK_ATTEMPT_LABEL, Integer.toString(request.attempt()));
        labels.put(WORKER_LABEL, request.workerId());

        HostConfig host = confined(request);
        List<ExposedPort> exposed = new ArrayList<>();
        if (request.ports() != null && !request.ports().isEmpty()) {
            Ports bindings = new Ports();
            for (Port port : request.ports()) {
                String protocol = port.protocol() == null ? "tcp" : port.protocol();
                ExposedPort ep = new ExposedPort(port.containerPort(), InternetProtocol.parse(protocol));
                exposed.add(ep);
                bindings.bind(ep, port.hostPort() == 0 ? Ports.Binding.empty() : Ports.Binding.bindPort(port.hostPort()));
            }
            host.withPortBindings(bindings);
        }
        if (!request.binds().isEmpty()) {
            host.withMounts(request.binds().stream().map(b -> new Mount().withType(MountType.BIND)
                    .withSource(b.hostPath()).withTarget(b.containerPath()).withReadOnly(b.readOnly())).toList());
        }
        List<String> env = new ArrayList<>();
        if (request.env() != null) {
            request.env().forEach((k, v) -> env.add(k + "=" + v));
        }
        CreateContainerCmd cmd = docker.createContainerCmd(request.image())
                .withName(name)
                .withLabels(labels)
                .withEnv(env)
                .withExposedPorts(exposed)
                .withHostConfig(host);
        if (request.command() != null && !request.command().isEmpty()) {
            cmd.withCmd(request.command());
        }
        return cmd.exec().getId();
    }

    /**
     * The host side of a task's container, locked down: never privileged, no extra capabilities
     * or privilege escalation (setuid), its own network namespace on the bridge (never the host's),
     * no host paths (the Docker socket included) beyond the task's declared volumes, and always a
     * CPU and a memory limit (without swap): the request's, or {@link #DEFAULT_CPUS} and
     * {@link #DEFAULT_MEMORY} for a task stored without limits.
     */
    static HostConfig confined(ContainerRequest request) {
        double cpus = request.cpus() > 0 ? request.cpus() : DEFAULT_CPUS;
        long memory = request.memoryBytes() > 0 ? request.memoryBytes() : DEFAULT_MEMORY;
        return HostConfig.newHostConfig()
                .withInit(true)
                .withPrivileged(false)
                .withCapAdd()
                .withSecurityOpts(List.of("no-new-privileges"))
                .withNetworkMode("bridge")
                .withPublishAllPorts(false)
                .withNanoCPUs(Math.round(cpus * 1_000_000_000L))
                .withMemory(memory)
                .withMemorySwap(memory);
    }

    /** Pulls a missing image, bounded by the pull timeout: a start must never hang on a registry. */
    private void ensureImage(String image) throws RuntimeFailure {
        try {
            docker.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException missing) {
            log.info("image '{}' is not present locally; pulling it (timeout {} s)", image, pullTimeout.toSeconds());
        } catch (RuntimeException e) {
            throw failure("could not inspect image '" + image + "'", e);
        }
        String prefix = "image '" + image + "' is not present on this worker and could not be pulled";
        var error = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        PullImageResultCallback callback = new PullImageResultCallback() {
            @Override
            public void onError(Throwable throwable) { // the template would log a stack trace: we report it instead
                error.compareAndSet(null, throwable);
                closeQuietly(this);
            }
        };
        try {
            String[] ref = splitReference(image);
            var pull = docker.pullImageCmd(ref[0]);
            if (ref[1] != null) {
                pull.withTag(ref[1]);
            }
            pull.exec(callback);
            if (!callback.awaitCompletion(pullTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new RuntimeFailure(prefix + ": no answer within " + pullTimeout.toSeconds() + " s", null);
            }
            if (error.get() != null) {
                throw new RuntimeFailure(prefix + ": " + dockerMessage(error.get()), error.get());
            }
            docker.inspectImageCmd(image).exec();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RuntimeFailure(prefix + ": interrupted", e);
        } catch (RuntimeException e) {
            throw new RuntimeFailure(prefix + ": " + dockerMessage(e), e);
        } finally {
            closeQuietly(callback);
        }
    }

    /** {@code [repository, tag]}; the tag is null for a digest reference, "latest" when absent. */
    static String[] splitReference(String image) {
        if (image.contains("@")) {
            return new String[] {image, null};
        }
        int colon = image.lastIndexOf(':');
        if (colon > image.lastIndexOf('/')) {
            return new String[] {image.substring(0, colon), image.substring(colon + 1)};
        }
        return new String[] {image, "latest"};
    }

    private Optional<String> runningContainerNamed(String name) {
        try {
            InspectContainerResponse existing = docker.inspectContainerCmd(name).exec();
            return Boolean.TRUE.equals(existing.getState().getRunning()) ? Optional.of(existing.getId()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private void removeQuietly(String idOrName) {
        try {
            docker.removeContainerCmd(idOrName).withForce(true).exec();
        } catch (RuntimeException e) {
            log.debug("could not remove container {}: {}", idOrName, e.toString());
        }
    }

    @Override
    public void stopAndRemove(String containerId) throws RuntimeFailure {
        try {
            docker.stopContainerCmd(containerId).withTimeout(STOP_TIMEOUT_SECONDS).exec();
        } catch (NotModifiedException | NotFoundException alreadyDone) {
            // already stopped, or already gone
        } catch (RuntimeException e) {
            log.warn("stopping container {} failed ({}); removing it by force", containerId, dockerMessage(e));
        }
        try {
            docker.removeContainerCmd(containerId).withForce(true).exec();
        } catch (NotFoundException gone) {
            // removed meanwhile
        } catch (RuntimeException e) {
            if (!dockerMessage(e).contains("already in progress")) {
                throw failure("could not remove container " + containerId, e);
            }
        }
    }

    @Override
    public List<ContainerStatus> list(String workerId) throws RuntimeFailure {
        List<Container> containers;
        try {
            containers = docker.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(WORKER_LABEL, workerId)).exec();
        } catch (RuntimeException e) {
            throw failure("could not list the containers of worker " + workerId, e);
        }
        List<ContainerStatus> result = new ArrayList<>(containers.size());
        for (Container c : containers) {
            String taskId = c.getLabels() == null ? null : c.getLabels().get(TASK_ID_LABEL);
            int attempt = attempt(c.getLabels());
            if ("running".equals(c.getState())) {
                result.add(new ContainerStatus(c.getId(), taskId, attempt, true, null, null));
                continue;
            }
            try {
                result.add(exitedStatus(c.getId(), taskId, attempt, docker.inspectContainerCmd(c.getId()).exec().getState()));
            } catch (NotFoundException gone) {
                // removed between list and inspect
            } catch (RuntimeException e) {
                throw failure("could not inspect container " + c.getId(), e);
            }
        }
        return result;
    }

    /** The attempt label; containers made before attempts were labelled ran the first. */
    private static int attempt(Map<String, String> labels) {
        String text = labels == null ? null : labels.get(TASK_ATTEMPT_LABEL);
        try {
            return text == null ? 1 : Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static ContainerStatus exitedStatus(String id, String taskId, int attempt,
                                                InspectContainerResponse.ContainerState state) {
        if (Boolean.TRUE.equals(state.getRunning())) {
            return new ContainerStatus(id, taskId, attempt, true, null, null);
        }
        if ("created".equals(state.getStatus())) {
            return new ContainerStatus(id, taskId, attempt, false, null, "the container was created but never started");
        }
        Long exit = state.getExitCodeLong();
        String error = null;
        if (Boolean.TRUE.equals(state.getOOMKilled())) {
            error = "OOM killed";
        } else if (state.getError() != null && !state.getError().isBlank()) {
            error = sentence(state.getError());
        }
        return new ContainerStatus(id, taskId, attempt, false, exit == null ? null : exit.intValue(), error);
    }

    @Override
    public Capacity capacity() throws RuntimeFailure {
        try {
            Info info = docker.infoCmd().exec();
            return new Capacity(info.getNCPU() == null ? 0 : info.getNCPU(), info.getMemTotal() == null ? 0 : info.getMemTotal());
        } catch (RuntimeException e) {
            throw failure("could not read the engine's capacity", e);
        }
    }

    /** Whether the image is present locally (no pull). */
    public boolean imagePresent(String image) throws RuntimeFailure {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw failure("could not inspect image '" + image + "'", e);
        }
    }

    /** What Docker holds about one container, for tests and diagnostics. */
    public record ContainerDetails(String id, String name, String image, Map<String, String> labels, long nanoCpus,
                                   long memoryBytes, long memorySwapBytes, boolean init, boolean privileged,
                                   String networkMode, Map<Integer, Integer> hostPortByContainerPort) {}

    /** The engine's host config of a container, for tests that check the lock-down of {@link #confined}. */
    HostConfig hostConfig(String containerId) {
        return docker.inspectContainerCmd(containerId).exec().getHostConfig();
    }

    /** Inspects one container; empty when it does not exist. */
    public Optional<ContainerDetails> inspect(String containerId) throws RuntimeFailure {
        InspectContainerResponse r;
        try {
            r = docker.inspectContainerCmd(containerId).exec();
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw failure("could not inspect container " + containerId, e);
        }
        HostConfig h = r.getHostConfig();
        Map<Integer, Integer> ports = new HashMap<>();
        if (r.getNetworkSettings() != null && r.getNetworkSettings().getPorts() != null) {
            r.getNetworkSettings().getPorts().getBindings().forEach((ep, bindings) -> {
                if (bindings != null && bindings.length > 0 && bindings[0].getHostPortSpec() != null) {
                    ports.put(ep.getPort(), Integer.parseInt(bindings[0].getHostPortSpec()));
                }
            });
        }
        return Optional.of(new ContainerDetails(r.getId(), r.getName().replaceFirst("^/", ""), r.getConfig().getImage(),
                r.getConfig().getLabels() == null ? Map.of() : Map.copyOf(r.getConfig().getLabels()),
                nz(h.getNanoCPUs()), nz(h.getMemory()), nz(h.getMemorySwap()), Boolean.TRUE.equals(h.getInit()),
                Boolean.TRUE.equals(h.getPrivileged()), h.getNetworkMode(), Map.copyOf(ports)));
    }

    private static long nz(Long value) {
        return value == null ? 0 : value;
    }

    @Override
    public void watch(String workerId, Runnable onChange) {
        Thread thread = Thread.ofPlatform().daemon().name("cube-docker-events-" + workerId)
                .start(() -> watchLoop(workerId, onChange));
        watchThreads.add(thread);
    }

    /** Follows the events stream; when it ends (dockerd restart...), reconnects with a bounded backoff. */
    private void watchLoop(String workerId, Runnable onChange) {
        long backoff = 200;
        while (!closed) {
            var received = new java.util.concurrent.atomic.AtomicBoolean();
            ResultCallback.Adapter<Event> callback = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Event event) {
                    received.set(true);
                    onChange.run();
                }
            };
            watches.add(callback);
            try {
                events.eventsCmd()
                        .withEventTypeFilter(EventType.CONTAINER)
                        .withLabelFilter(Map.of(WORKER_LABEL, workerId))
                        .withEventFilter("die", "stop", "destroy", "oom")
                        .exec(callback);
                if (!closed) {
                    onChange.run(); // events may have been missed while (re)connecting
                }
                callback.awaitCompletion();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!closed) {
                    log.warn("docker events stream for worker {} failed: {}", workerId, dockerMessage(e));
                }
            } finally {
                watches.remove(callback);
                closeQuietly(callback);
            }
            if (closed) {
                return;
            }
            backoff = received.get() ? 200 : Math.min(backoff * 2, MAX_EVENT_BACKOFF_MS);
            log.info("docker events stream for worker {} ended; reconnecting in {} ms", workerId, backoff);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public Closeable logs(String containerId, Integer tail, boolean follow, java.util.function.Consumer<byte[]> onChunk,
                          java.util.function.Consumer<Throwable> onEnd) throws RuntimeFailure {
        var command = events.logContainerCmd(containerId)   // no response timeout: a followed log may stay silent
                .withStdOut(true).withStdErr(true).withFollowStream(follow);
        if (tail != null) {
            command.withTail(tail);
        } else {
            command.withTailAll();
        }
        var ended = new java.util.concurrent.atomic.AtomicBoolean();
        ResultCallback.Adapter<com.github.dockerjava.api.model.Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Frame frame) {
                if (frame.getPayload() != null && frame.getPayload().length > 0) {
                    onChunk.accept(frame.getPayload());
                }
            }

            @Override
            public void onError(Throwable throwable) { // the template would log a stack trace: the caller reports it
                if (ended.compareAndSet(false, true)) onEnd.accept(throwable);
                closeQuietly(this);
            }

            @Override
            public void onComplete() {
                if (ended.compareAndSet(false, true)) onEnd.accept(null);
                closeQuietly(this);
            }
        };
        try {
            command.exec(callback);
        } catch (NotFoundException e) {
            throw new RuntimeFailure("no container " + containerId, e);
        } catch (RuntimeException e) {
            throw failure("could not read the logs of container " + containerId, e);
        }
        return () -> {
            if (ended.compareAndSet(false, true)) onEnd.accept(null);
            closeQuietly(callback);
        };
    }

    @Override
    public Optional<Usage> usage(String containerId) throws RuntimeFailure {
        var sample = new java.util.concurrent.CompletableFuture<com.github.dockerjava.api.model.Statistics>();
        ResultCallback.Adapter<com.github.dockerjava.api.model.Statistics> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(com.github.dockerjava.api.model.Statistics statistics) {
                sample.complete(statistics);
            }

            @Override
            public void onError(Throwable throwable) {
                sample.completeExceptionally(throwable);
            }

            @Override
            public void onComplete() {
                sample.complete(null);
            }
        };
        try {
            events.statsCmd(containerId).withNoStream(true).exec(callback);
            return Optional.ofNullable(sample.get(10, TimeUnit.SECONDS)).flatMap(DockerRuntime::usageOf);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof NotFoundException) {
                return Optional.empty();
            }
            throw failure("could not sample container " + containerId, cause);
        } finally {
            closeQuietly(callback);
        }
    }

    /** CPU cores in use as {@code docker stats} computes them: container CPU delta over system CPU delta. */
    private static Optional<Usage> usageOf(com.github.dockerjava.api.model.Statistics s) {
        var cpu = s.getCpuStats();
        var memory = s.getMemoryStats();
        if (cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null || memory == null
                || memory.getUsage() == null) {
            return Optional.empty();   // not running: Docker sends an empty sample
        }
        long total = cpu.getCpuUsage().getTotalUsage();
        var pre = s.getPreCpuStats();
        double cores = 0;
        if (pre != null && pre.getCpuUsage() != null && pre.getCpuUsage().getTotalUsage() != null
                && cpu.getSystemCpuUsage() != null && pre.getSystemCpuUsage() != null) {
            double cpuDelta = total - pre.getCpuUsage().getTotalUsage();
            double systemDelta = cpu.getSystemCpuUsage() - pre.getSystemCpuUsage();
            long online = cpu.getOnlineCpus() != null ? cpu.getOnlineCpus()
                    : cpu.getCpuUsage().getPercpuUsage() != null ? cpu.getCpuUsage().getPercpuUsage().size() : 1;
            if (cpuDelta > 0 && systemDelta > 0) cores = cpuDelta / systemDelta * online;
        }
        long used = memory.getUsage();
        if (memory.getStats() != null && memory.getStats().getCache() != null) {
            used = Math.max(0, used - memory.getStats().getCache());   // cgroup v1: page cache is not the task's
        }
        long limit = memory.getLimit() == null ? 0 : memory.getLimit();
        return Optional.of(new Usage(cores, total / 1e9, used, limit));
    }

    @Override
    public void close() {
        closed = true;
        watches.forEach(DockerRuntime::closeQuietly);
        watchThreads.forEach(Thread::interrupt);
        closeQuietly(events);
        closeQuietly(docker);
    }

    private static void closeQuietly(Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException ignored) {
            // closing
        }
    }

    private static RuntimeFailure failure(String what, Throwable cause) {
        return new RuntimeFailure(sentence(what + ": " + dockerMessage(cause)), cause);
    }

    /**
     * Docker's message without the transport wrapping: docker-java reports
     * {@code Status 500: {"message":"..."}}; the user wants the "...".
     */
    static String dockerMessage(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int brace = message.indexOf('{');
        if (brace >= 0) {
            try {
                var node = dev.cube.store.Json.MAPPER.readTree(message.substring(brace));
                if (node.hasNonNull("message")) {
                    message = node.get("message").asText();
                }
            } catch (IOException | RuntimeException notJson) {
                // keep the raw text
            }
        }
        return message.replaceFirst("^Status \\d+: ", "").strip();
    }

    /** First letter up, ending with a full stop. */
    static String sentence(String text) {
        String s = text.strip();
        if (s.isEmpty()) {
            return s;
        }
        s = s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
        return s.endsWith(".") ? s : s + ".";
    }
}
