package dev.cube.worker.sim;

import dev.cube.worker.WorkerIdentity;
import dev.cube.worker.WorkerMain;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cube-sim-fleet}: runs a simulated fleet until SIGTERM; progress on stderr. */
@Command(name = "cube-sim-fleet", mixinStandardHelpOptions = true,
        description = {"Simulates many workers in one process, for scale tests: each registers the given capacity,",
                "heartbeats, long-polls its assignments and reports every task placed on it running at once.",
                "No container runs. Workers are labelled cube.simulated=true."})
public final class SimulatedFleetMain implements Callable<Integer> {

    @Option(names = "--manager-url", required = true, paramLabel = "URL",
            description = "Gateway of a manager, e.g. http://127.0.0.1:8080 (repeatable).")
    List<URI> managerUrls = new ArrayList<>();

    @Option(names = "--workers", defaultValue = "100", description = "Simulated workers (default: 100).")
    int workers;

    @Option(names = "--cpus", defaultValue = "4", description = "CPUs each worker offers (default: 4).")
    double cpus;

    @Option(names = "--memory", defaultValue = "16g", converter = WorkerMain.SizeConverter.class,
            description = "Memory each worker offers (default: 16g).")
    long memoryBytes;

    @Option(names = "--prefix", defaultValue = "sim", description = "Worker names: PREFIX-1, PREFIX-2, ... (default: sim).")
    String prefix;

    @Option(names = "--heartbeat", defaultValue = "4s", converter = WorkerMain.DurationConverter.class,
            description = "Heartbeat period of each worker (default: 4s; keep it under the managers' timeout).")
    Duration heartbeat;

    @Option(names = "--poll-wait", defaultValue = "25s", converter = WorkerMain.DurationConverter.class,
            description = "How long a long-poll may be held (default: 25s).")
    Duration pollWait;

    @Option(names = "--starts-per-second", defaultValue = "500",
            description = "Workers started per second, 0 for all at once (default: 500).")
    int startsPerSecond;

    @Option(names = "--progress", defaultValue = "5s", converter = WorkerMain.DurationConverter.class,
            description = "Progress line period on stderr (default: 5s).")
    Duration progress;

    @Option(names = "--join-token", paramLabel = "TOKEN",
            description = "The cluster's join token (auth.join-token of the managers); default: env CUBE_JOIN_TOKEN.")
    String joinToken;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = {"Keeps the fleet's secret (created, mode 600, if absent): the workers' secrets derive from it,",
                    "so the fleet started again with the same file and --prefix takes its worker ids back.",
                    "Without it the secrets live as long as the process, and a fleet started again needs another --prefix."})
    Path secretFile;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "An extra label on every worker (repeatable).")
    Map<String, String> labels = new LinkedHashMap<>();

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new SimulatedFleetMain());
        cli.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("cube-sim-fleet: " + e.getMessage() + " (see --help)");
            return 2;
        });
        System.exit(cli.execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (workers < 1 || cpus <= 0 || memoryBytes <= 0) {
            System.err.println("cube-sim-fleet: --workers, --cpus and --memory must be positive");
            return 2;
        }
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put("cube.simulated", "true");
        SimulatedFleet fleet = new SimulatedFleet(new SimulatedFleet.Settings(managerUrls, workers, prefix, cpus,
                memoryBytes, all, heartbeat, pollWait, startsPerSecond,
                joinToken != null ? joinToken : System.getenv("CUBE_JOIN_TOKEN"),
                secretFile == null ? null : WorkerIdentity.loadOrCreateSecret(secretFile)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            stopped.countDown();
        }, "cube-sim-shutdown"));
        fleet.start();
        System.err.printf("cube-sim-fleet: %d simulated workers (%s cpus, %d MiB each) against %s%n",
                workers, cpus, memoryBytes >> 20, managerUrls);
        boolean announced = false;
        while (!stopped.await(progress.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            FleetCounters c = fleet.counters();
            System.err.printf("cube-sim-fleet: %d/%d workers registered, %d registrations, %d reports accepted,"
                    + " %d failed calls, slowest heartbeat %d ms%n", c.workersRegistered(), workers, c.registrations(),
                    c.reportsAccepted(), c.failures(), c.takeSlowestHeartbeatMillis());
            if (!announced && c.workersRegistered() == workers) {
                System.err.println("cube-sim-fleet: every worker registered");
                announced = true;
            }
        }
        return 0;
    }
}
