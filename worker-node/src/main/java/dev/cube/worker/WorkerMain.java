package dev.cube.worker;

import dev.cube.model.Durations;
import dev.cube.worker.agent.AgentServer;
import dev.cube.worker.agent.UsageSampler;
import dev.cube.worker.agent.WorkerMetrics;
import dev.cube.worker.runtime.DockerRuntime;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cube-worker}: runs a worker agent until SIGTERM, then exits 0. */
@Command(name = "cube-worker", mixinStandardHelpOptions = true,
        description = "Runs a Cube worker agent: registers with the managers and runs the tasks they assign here.")
public final class WorkerMain implements Callable<Integer> {

    @Option(names = "--manager-url", required = true, paramLabel = "URL",
            description = "Gateway of a manager, e.g. http://10.0.0.1:8080 (repeatable).")
    List<URI> managerUrls = new ArrayList<>();

    @Option(names = "--name", paramLabel = "NAME", description = "Worker name (default: the host name).")
    String name;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where the worker id is kept (default: ~/.cube/worker/<name>).")
    Path dataDir;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs to offer (default: what Docker reports).")
    double cpus;

    @Option(names = "--memory", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Memory to offer: bytes or 512m, 4g... (default: what Docker reports).")
    long memoryBytes;

    @Option(names = "--pull-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "30s", description = "Longest wait for an image pull: 30s, 2m, 500ms (default: 30s).")
    Duration pullTimeout;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "1s", description = "How often to tell the leader this worker lives (default: 1s); keep it "
                    + "well below the managers' workers.heartbeat-timeout (default: 3s).")
    Duration heartbeatInterval;

    @Option(names = "--storage-dir", paramLabel = "DIR",
            description = "Where the workers' shared storage (NFS...) is mounted here; tasks' volumes are folders "
                    + "under it (default: none, and tasks with volumes fail on this worker).")
    Path storageDir;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label for placement (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(names = "--agent-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:0",
            description = "Where the agent serves container logs and /metrics to the managers "
                    + "(default: 127.0.0.1 on a free port; use 0.0.0.0:7070 when managers run elsewhere).")
    String agentListen;

    @Option(names = "--agent-url", paramLabel = "URL",
            description = "The agent's URL as managers reach it (default: from --agent-listen).")
    URI agentUrl;

    @Option(names = "--usage-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "10s", description = "How often container CPU and memory are sampled (default: 10s).")
    Duration usageInterval;

    @Option(names = "--join-token", paramLabel = "TOKEN",
            description = "The cluster's join token (auth.join-token of the managers); default: env CUBE_JOIN_TOKEN.")
    String joinToken;

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "PEM file of the cluster CA, trusted for https:// manager URLs (see ops/make-certs.sh).")
    Path caCert;

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new WorkerMain());
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("cube-worker: " + e.getMessage() + " (see --help)");
            return 2;
        });
        System.exit(cli.execute(args));
    }

    /**
     * The leader takes the close of a worker's heartbeat connection for its death: the JDK's HTTP
     * client must not close it as idle between two heartbeats (its default: after 30 s idle). Set
     * before the first client is built; an explicit {@code -Djdk.httpclient.keepalive.timeout} wins.
     */
    static void keepHeartbeatConnectionsAlive(Duration heartbeatInterval) {
        long seconds = Math.max(60, heartbeatInterval.toSeconds() * 3);
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", Long.toString(seconds));
        }
    }

    @Override
    public Integer call() throws Exception {
        if (cpus < 0) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--cpus must be positive, got " + cpus);
        }
        if (heartbeatInterval.isZero() || heartbeatInterval.isNegative()) {
            throw new CommandLine.ParameterException(new CommandLine(this), "--heartbeat-interval must be positive");
        }
        keepHeartbeatConnectionsAlive(heartbeatInterval);
        if (storageDir != null && !java.nio.file.Files.isDirectory(storageDir)) {
            System.err.println("cube-worker: --storage-dir " + storageDir + " is not a directory (mount the shared storage first)");
            return 2;
        }
        for (URI url : managerUrls) {
            if (url.getScheme() == null || !url.getScheme().startsWith("http") || url.getHost() == null) {
                System.err.println("cube-worker: --manager-url must look like http://HOST:PORT, got '" + url + "'");
                return 2;
            }
        }
        String token = joinToken != null ? joinToken : System.getenv("CUBE_JOIN_TOKEN");
        if (caCert != null && !java.nio.file.Files.isReadable(caCert)) {
            System.err.println("cube-worker: --ca-cert " + caCert + " is not readable");
            return 2;
        }
        String workerName = name != null ? name : hostName();
        Path dir = dataDir != null ? dataDir
                : Path.of(System.getProperty("user.home"), ".cube", "worker", workerName);
        WorkerSettings settings = new WorkerSettings(managerUrls, workerName, dir, cpus, memoryBytes, labels,
                heartbeatInterval, WorkerSettings.DEFAULT_POLL_WAIT, storageDir, token, caCert);

        Matcher listen = Pattern.compile("(.*):(\\d{1,5})").matcher(agentListen);
        if (!listen.matches() || Integer.parseInt(listen.group(2)) > 65535) {
            System.err.println("cube-worker: --agent-listen must look like HOST:PORT, got '" + agentListen + "'");
            return 2;
        }
        AgentServer server;
        try {
            server = new AgentServer(listen.group(1).replaceAll("^\\[|]$", ""), Integer.parseInt(listen.group(2)),
                    agentUrl == null ? null : agentUrl.toString());
        } catch (java.io.IOException e) {
            System.err.println("cube-worker: cannot listen on " + agentListen + ": " + e.getMessage());
            return 1;
        }
        WorkerMetrics metrics = new WorkerMetrics();
        DockerRuntime runtime = new DockerRuntime(pullTimeout);
        WorkerAgent agent = new WorkerAgent(settings, runtime, server.url(), metrics.registry());
        server.start(runtime, agent.workerId(), metrics, agent::session);
        UsageSampler sampler = new UsageSampler(runtime, agent.workerId(), agent::taskName, metrics)
                .start(usageInterval);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            sampler.close();
            agent.close();
            server.close();
            metrics.close();
            runtime.close();
            stopped.countDown();
        }, "cube-worker-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        handleTermQuietly();
        agent.start();
        stopped.await();
        return 0;
    }

    /**
     * The JVM's own SIGTERM handling exits with 143; a worker asked to stop has done nothing wrong, so
     * SIGTERM/SIGINT run the shutdown hooks through {@code System.exit(0)} instead.
     */
    @SuppressWarnings("removal")
    private static void handleTermQuietly() {
        try {
            for (String signal : List.of("TERM", "INT")) {
                sun.misc.Signal.handle(new sun.misc.Signal(signal), s -> new Thread(() -> System.exit(0)).start());
            }
        } catch (IllegalArgumentException | UnsupportedOperationException unavailable) {
            // keep the JVM's default handling
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "worker";
        }
    }

    /** Bytes, or a number with k/m/g/t (powers of 1024), with an optional trailing "b" or "i". */
    public static final class SizeConverter implements CommandLine.ITypeConverter<Long> {
        private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(?:i?b)?");

        @Override
        public Long convert(String value) {
            Matcher m = SIZE.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a size (examples: 536870912, 512m, 4g)");
            }
            int shift = switch (m.group(2)) {
                case "k" -> 10;
                case "m" -> 20;
                case "g" -> 30;
                case "t" -> 40;
                default -> 0;
            };
            return Math.round(Double.parseDouble(m.group(1)) * (1L << shift));
        }
    }

    /** 500ms, 30s, 2m, 1h, or ISO-8601 (PT30S). */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Durations.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
