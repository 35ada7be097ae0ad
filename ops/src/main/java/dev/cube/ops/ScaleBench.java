package dev.cube.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * ops/bench scale: a three-manager quorum, a simulated fleet (bin/cube-sim-fleet) and many tasks
 * submitted in bulk; how long until every task runs, placements per second, manager memory.
 */
final class ScaleBench {
    static final String HELP = """
            usage: ops/bench scale [--workers 500] [--tasks 10000] [--managers 3] [--chunk 10000]
                                   [--cpus 4] [--memory 16g] [--task-cpus 0.01] [--task-memory 8m] [--timeout 10m]
                                   [--warmup-tasks 0]

            Starts a quorum with ops/cluster.sh (no real workers) in a scratch run directory
            (CUBE_BENCH_RUN_DIR, default run/bench-scale; removed before and after; API ports from
            CUBE_BENCH_API_PORT, default 18180, Raft from CUBE_BENCH_RAFT_PORT, default 19970), or uses the
            managers in CUBE_URLS and starts nothing (manager memory is then read from the pids in
            CUBE_MANAGER_PIDS, if given). Manager JVM options: CUBE_JAVA_OPTS, else -Xmx sized for --tasks.
            Then starts --workers simulated workers in one process (bin/cube-sim-fleet, log in the run
            directory; CUBE_BENCH_KEEP=1 keeps the directory and its logs), waits until all are ready, and submits --tasks tasks as replicas ("count"), --chunk
            per call, four calls at a time. Heartbeats: every max(4, workers/250) s, declared missed after three
            (at least 30 s; CUBE_CLUSTER_HEARTBEAT_TIMEOUT overrides), so the fleet sends about 250 a second. Every task asks for --task-cpus and --task-memory; the fleet must
            hold them all (--cpus and --memory per worker). With --warmup-tasks N, N tasks are submitted
            the same way first and the clock starts once they all run (they keep running): the managers'
            JIT compilers have then compiled the paths of submitting, placing and reporting, as on a
            cluster that has been up for a while; the JSON line gives warmup_tasks.
            Prints a progress line every second (pending, scheduled, running, as the manager that has applied
            the most knows them: a manager applies committed entries only) and the figures last as one
            JSON line: workers, tasks, seconds (first submission until every task runs), placements_per_sec,
            submit_seconds, manager_rss_mb (the largest peak RSS of the manager processes, from /proc),
            manager_cpu_seconds and fleet_cpu_seconds (CPU time used meanwhile, all managers together, and
            the fleet: on a shared machine a steadier figure than the wall-clock time).
            Exit status: 0 all ran; 1 not all ran within --timeout; 2 bad usage; 3 the cluster or fleet failed.
            """;

    private final Http http = new Http();

    record Options(int workers, int tasks, int managers, int chunk, double cpus, String memory, double taskCpus,
                   String taskMemory, Duration timeout, int warmupTasks) {}

    int run(Options o) throws Exception {
        String given = System.getenv("CUBE_URLS");
        String repo = System.getProperty("cube.repo", ".");
        ClusterScript cluster = null;
        List<URI> urls;
        List<Long> managerPids = new ArrayList<>();
        Path runDir;
        if (given != null && !given.isBlank()) {
            urls = Arrays.stream(given.split("[,\\s]+")).filter(s -> !s.isBlank())
                    .map(s -> URI.create(s.endsWith("/") ? s : s + "/")).toList();
            String pids = System.getenv("CUBE_MANAGER_PIDS");
            if (pids != null) Arrays.stream(pids.split("[,\\s]+")).filter(s -> !s.isBlank()).map(Long::parseLong)
                    .forEach(managerPids::add);
            runDir = Files.createTempDirectory("cube-bench-scale");
        } else {
            Map<String, String> env = new HashMap<>(Map.of(
                    "CUBE_RUN_DIR", Bench.env("CUBE_BENCH_RUN_DIR", Path.of(repo, "run", "bench-scale").toString()),
                    "CUBE_CLUSTER_API_PORT", Bench.env("CUBE_BENCH_API_PORT", "18180"),
                    "CUBE_CLUSTER_RAFT_PORT", Bench.env("CUBE_BENCH_RAFT_PORT", "19970"),
                    "CUBE_CLUSTER_HEARTBEAT_TIMEOUT", Bench.env("CUBE_CLUSTER_HEARTBEAT_TIMEOUT",
                            heartbeatTimeout(o.workers()).toSeconds() + "s")));
            if (System.getenv("CUBE_JAVA_OPTS") == null) env.put("CUBE_JAVA_OPTS", "-Xmx" + managerHeapMb(o.tasks() + o.warmupTasks()) + "m");
            cluster = new ClusterScript(ClusterScript.defaultScript(), env);
            if (cluster.status() != 3) {
                System.err.println("bench: a cluster already runs in " + env.get("CUBE_RUN_DIR")
                        + "; stop it (CUBE_RUN_DIR=... ops/cluster.sh down) or point CUBE_URLS at it");
                return 3;
            }
            cluster.down(true);
            cluster.up(o.managers(), 0);
            ClusterScript.Description d = cluster.describe();
            urls = d.urls();
            runDir = d.runDir();
            for (ClusterScript.Manager m : d.managers()) {
                Path pidFile = runDir.resolve(m.id() + ".pid");
                if (Files.exists(pidFile)) managerPids.add(Long.parseLong(Files.readString(pidFile).trim()));
            }
        }
        Process fleet = null;
        try {
            fleet = startFleet(repo, runDir, urls, o);
            return measure(o, urls, managerPids, fleet, runDir);
        } finally {
            if (fleet != null) {
                fleet.destroy();
                if (!fleet.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) fleet.destroyForcibly().waitFor();
            }
            if (cluster != null) cluster.down(System.getenv("CUBE_BENCH_KEEP") == null);
        }
    }

    /**
     * Heartbeats of the whole fleet are held to about 250 a second, as Nomad scales its heartbeat TTL
     * with the number of nodes (max_heartbeats_per_second): every 4 s for up to 1,000 workers, every
     * 20 s for 5,000.
     */
    static Duration heartbeatInterval(int workers) {
        return Duration.ofSeconds(Math.max(4, workers / 250));
    }

    /** Three missed heartbeats, and never under 30 s: the fleet, the managers and this program share the machine. */
    static Duration heartbeatTimeout(int workers) {
        return Duration.ofSeconds(Math.max(30, 3 * heartbeatInterval(workers).toSeconds()));
    }

    /** Enough for the store's tasks and their garbage: about 2.5 KiB per task beyond a base. */
    static int managerHeapMb(int tasks) {
        return (int) Math.max(512, 384 + tasks * 2.5 / 1024);
    }

    private Process startFleet(String repo, Path runDir, List<URI> urls, Options o) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(repo, "bin", "cube-sim-fleet").toString(),
                "--workers", String.valueOf(o.workers()), "--cpus", String.valueOf(o.cpus()), "--memory", o.memory(),
                "--prefix", "sim", "--heartbeat", heartbeatInterval(o.workers()).toSeconds() + "s"));
        for (URI url : urls) command.addAll(List.of("--manager-url", url.toString().replaceAll("/$", "")));
        Path log = runDir.resolve("fleet.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("CUBE_JAVA_OPTS", Bench.env("CUBE_FLEET_JAVA_OPTS",
                "-Xmx" + Math.max(512, o.workers() / 5) + "m"));
        System.err.println("bench: starting " + o.workers() + " simulated workers (log " + log + ")");
        Process fleet = builder.start();
        // A bench stopped by a signal runs no finally block: the fleet must not outlive it.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.descendants().forEach(ProcessHandle::destroy);
            fleet.destroy();
        }, "bench-fleet-stop"));
        return fleet;
    }

    private int measure(Options o, List<URI> urls, List<Long> pids, Process fleet, Path runDir) throws Exception {
        URI watch = urls.getFirst();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long ready = 0;
        while ((ready = gauge(watch, "cube.workers.state.ready")) < o.workers()) {
            if (!fleet.isAlive()) throw new IllegalStateException("the fleet exited with " + fleet.exitValue()
                    + "; see " + runDir.resolve("fleet.log"));
            if (System.nanoTime() > deadline) {
                System.err.println("bench: only " + ready + "/" + o.workers() + " workers ready after 3 minutes");
                return 3;
            }
            Thread.sleep(500);
        }
        if (o.warmupTasks() > 0 && !warmUp(o, urls)) return 3;
        long baseline = gauge(watch, "cube.tasks.state.running");
        System.err.println("bench: " + ready + " workers ready; submitting " + o.tasks() + " tasks, " + o.chunk()
                + " per call");
        double managerCpu0 = cpuSeconds(pids);
        double fleetCpu0 = cpuSeconds(List.of(fleet.pid()));
        long t0 = System.nanoTime();
        AtomicLong submitDone = new AtomicLong();
        AtomicInteger failures = new AtomicInteger();
        Thread submitter = Thread.ofVirtual().start(() -> {
            submitAll(o, o.tasks(), "scale", urls, failures);
            submitDone.set(System.nanoTime());
        });
        long end = t0 + o.timeout().toNanos();
        long running = 0;
        long lastPrint = 0;
        while (System.nanoTime() < end) {
            JsonNode gauges = furthest(urls);
            running = value(gauges, "cube.tasks.state.running") - baseline;
            if (System.nanoTime() - lastPrint >= 1_000_000_000L || running >= o.tasks()) {
                lastPrint = System.nanoTime();
                System.err.printf("bench: %6.1f s  pending %d, scheduled %d, running %d/%d, manager rss %d MiB%n",
                        (lastPrint - t0) / 1e9, value(gauges, "cube.tasks.state.pending"),
                        value(gauges, "cube.tasks.state.scheduled"), running, o.tasks(), rssMb(pids, false));
            }
            if (running >= o.tasks() || (submitDone.get() != 0 && failures.get() > 0)) break;
            Thread.sleep(200);
        }
        long t1 = System.nanoTime();
        double managerCpu = cpuSeconds(pids) - managerCpu0;
        double fleetCpu = cpuSeconds(List.of(fleet.pid())) - fleetCpu0;
        submitter.join(Duration.ofSeconds(5));
        double seconds = (t1 - t0) / 1e9;
        boolean all = running >= o.tasks();
        ObjectNode json = Http.JSON.createObjectNode();
        json.put("workers", o.workers()).put("tasks", o.tasks()).put("managers", urls.size())
                .put("warmup_tasks", o.warmupTasks())
                .put("all_running", all).put("running", running)
                .put("seconds", Math.round(seconds * 10) / 10.0)
                .put("placements_per_sec", Math.round(running / seconds))
                .put("submit_seconds", submitDone.get() == 0 ? -1 : Math.round((submitDone.get() - t0) / 1e8) / 10.0)
                .put("submit_failures", failures.get())
                .put("manager_rss_mb", rssMb(pids, true))
                .put("manager_cpu_seconds", Math.round(managerCpu * 10) / 10.0)
                .put("fleet_cpu_seconds", Math.round(fleetCpu * 10) / 10.0);
        System.out.printf("scale: %d tasks on %d simulated workers, %d managers: %s after %.1f s (%d placements/s)%n",
                o.tasks(), o.workers(), urls.size(), all ? "all running" : "only " + running + " running", seconds,
                Math.round(running / seconds));
        System.out.println(Http.JSON.writeValueAsString(json));
        return all ? 0 : 1;
    }

    /** Submits the warm-up tasks and waits until they run (within --timeout); false if they do not. */
    private boolean warmUp(Options o, List<URI> urls) throws InterruptedException {
        System.err.println("bench: warming up with " + o.warmupTasks() + " tasks");
        long t0 = System.nanoTime();
        AtomicInteger failures = new AtomicInteger();
        submitAll(o, o.warmupTasks(), "warmup", urls, failures);
        long running = 0;
        while (failures.get() == 0 && System.nanoTime() - t0 < o.timeout().toNanos()) {
            running = value(furthest(urls), "cube.tasks.state.running");
            if (running >= o.warmupTasks()) {
                System.err.printf("bench: warm-up: %d tasks running after %.1f s%n", running, (System.nanoTime() - t0) / 1e9);
                return true;
            }
            Thread.sleep(200);
        }
        System.err.println("bench: warm-up failed: " + running + "/" + o.warmupTasks() + " running, "
                + failures.get() + " submissions failed");
        return false;
    }

    /** Replicas of one spec per call, named <prefix>-<run>-<call>-<i>; four calls in flight, spread over the managers. */
    private void submitAll(Options o, int tasks, String prefix, List<URI> urls, AtomicInteger failures) {
        String run = Long.toString(System.currentTimeMillis() / 1000, 36);
        int calls = (tasks + o.chunk() - 1) / o.chunk();
        try (ExecutorService pool = Executors.newFixedThreadPool(4, Thread.ofVirtual().factory())) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < calls; c++) {
                int call = c;
                int count = Math.min(o.chunk(), tasks - call * o.chunk());
                done.add(pool.submit(() -> {
                    ObjectNode body = Http.JSON.createObjectNode().put("name", prefix + "-" + run + "-" + call)
                            .put("image", "cube-demo:latest").put("cpus", o.taskCpus()).put("memory", o.taskMemory())
                            .put("count", count);
                    body.putArray("command").add("sleep").add("3600");
                    boolean unknown = false;   // a 503 or no answer: the write may still have taken effect
                    for (int attempt = 0; attempt < 10; attempt++) {
                        Http.Reply reply = http.post(urls.get((call + attempt) % urls.size()), "tasks", body.toString(),
                                Duration.ofSeconds(60));
                        if (reply.status() == 201) return;
                        if (reply.status() == 409 && unknown) return;   // the earlier attempt went through
                        System.err.println("bench: submission " + call + " answered " + reply.status() + " "
                                + (reply.answered() ? reply.body() : reply.failure()));
                        if (reply.status() == 409 || reply.status() == 400) break;
                        unknown = true;
                        sleep(1000);
                    }
                    failures.incrementAndGet();
                }));
            }
            for (Future<?> f : done) f.get();
        } catch (Exception e) {
            System.err.println("bench: submitting failed: " + e);
            failures.incrementAndGet();
        }
    }

    /**
     * The task state gauges of the manager that has applied the most (the most tasks running): a
     * manager applies only committed entries, so what the furthest one shows has happened, however
     * far behind the manager in {@code --manager-url}'s first place is.
     */
    private JsonNode furthest(List<URI> managers) {
        JsonNode best = Http.JSON.missingNode();
        for (URI manager : managers) {
            JsonNode gauges = gauges(manager, "cube.tasks.state.");
            if (best.isMissingNode() || value(gauges, "cube.tasks.state.running") > value(best, "cube.tasks.state.running")) {
                best = gauges;
            }
        }
        return best;
    }

    /** The gauges named {@code prefix}...: polled every 200 ms, so not every timer's snapshot. */
    private JsonNode gauges(URI manager, String prefix) {
        Http.Reply reply = http.get(manager, "metrics?format=json&prefix=" + prefix, Duration.ofSeconds(10));
        return reply.status() == 200 ? reply.json().path("gauges") : Http.JSON.missingNode();
    }

    private long gauge(URI manager, String name) {
        return value(gauges(manager, name), name);
    }

    private static long value(JsonNode gauges, String name) {
        return gauges.path(name).path("value").asLong(0);
    }

    /** The largest resident set of the managers now ({@code peak}: their peak, VmHWM), in MiB; -1 if unknown. */
    static long rssMb(List<Long> pids, boolean peak) {
        long max = -1;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith(peak ? "VmHWM:" : "VmRSS:")) {
                        max = Math.max(max, Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024);
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the process is gone or not readable: nothing to add
            }
        }
        return max;
    }

    /** CPU time (user + system) the processes used so far, in seconds; 0 for those not readable. */
    static double cpuSeconds(List<Long> pids) {
        double total = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                total += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;   // utime, stime in clock ticks
            } catch (IOException | RuntimeException e) {
                // gone or not readable
            }
        }
        return total;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
