package dev.cube.ops;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** ops/bench throughput: concurrent clients POST unique tasks to every manager; submissions/s and latency. */
public final class Bench {
    static final String HELP = """
            usage: ops/bench throughput [--clients 64] [--seconds 20] [--managers 3] [--warmup 3s]

            Starts its own cluster with ops/cluster.sh (--managers managers, 0 workers) in a scratch run
            directory (CUBE_BENCH_RUN_DIR, default run/bench; removed before and after; API ports from
            CUBE_BENCH_API_PORT, default 18180, Raft from CUBE_BENCH_RAFT_PORT, default 19970), or uses
            the managers in CUBE_URLS (comma-separated base URLs) and starts nothing.
            Then --clients concurrent clients (virtual threads; java.net.http, HTTP/1.1 keep-alive),
            client i bound to manager i mod N, each POSTs unique tasks back to back. With no workers the
            tasks stay pending: every submission is one durable (fsynced) Raft write and nothing runs.
            After --warmup, requests that complete within --seconds are counted.
            Prints submissions/s, p50/p99/max latency of the acknowledged (201) ones, errors by status
            ("io" = no answer), and the figures last as one JSON line.
            Exit status: 0 measured; 1 nothing was acknowledged; 2 bad usage; 3 the cluster could not start.
            """;

    private final Http http = new Http();

    public static void main(String[] argv) {
        int exit;
        try {
            Args args = new Args(argv, Set.of("clients", "seconds", "managers", "warmup", "workers", "tasks", "chunk",
                    "cpus", "memory", "task-cpus", "task-memory", "timeout", "rounds", "pass",
                    "warmup-tasks"));
            String name = args.positional().isEmpty() ? "" : args.positional().getFirst();
            boolean scale = name.equals("scale");
            if (args.help()) {
                System.out.print(scale ? ScaleBench.HELP : name.equals("apply") ? ApplyBench.HELP : HELP);
                return;
            }
            if (name.equals("apply") && args.positional().size() == 1) {
                System.exit(new ApplyBench(new ApplyBench.Options(args.integer("workers", 5_000, 1),
                        args.integer("tasks", 1_000_000, 1), args.integer("rounds", 3, 1),
                        args.integer("chunk", 10_000, 1), args.integer("pass", 40_000, 1)), System.out).run());
            }
            if (scale && args.positional().size() == 1) {
                System.exit(new ScaleBench().run(new ScaleBench.Options(args.integer("workers", 500, 1),
                        args.integer("tasks", 10_000, 1), args.integer("managers", 3, 1),
                        args.integer("chunk", 10_000, 1), args.number("cpus", 4), args.string("memory", "16g"),
                        args.number("task-cpus", 0.01), args.string("task-memory", "8m"),
                        args.duration("timeout", Duration.ofMinutes(10)), args.integer("warmup-tasks", 0, 0))));
            }
            if (args.positional().size() != 1 || !args.positional().getFirst().equals("throughput")) {
                throw new Args.UsageException("expected the benchmark name: throughput, scale or apply");
            }
            exit = new Bench().throughput(args.integer("clients", 64, 1), args.integer("seconds", 20, 1),
                    args.integer("managers", 3, 1), args.duration("warmup", Duration.ofSeconds(3)));
        } catch (Args.UsageException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.print(HELP);
            exit = 2;
        } catch (Exception e) {
            System.err.println("bench: " + e);
            exit = 3;
        }
        System.exit(exit);
    }

    int throughput(int clients, int seconds, int managerCount, Duration warmup) throws Exception {
        String given = System.getenv("CUBE_URLS");
        ClusterScript cluster = null;
        List<URI> urls;
        if (given != null && !given.isBlank()) {
            urls = Arrays.stream(given.split("[,\\s]+")).filter(s -> !s.isBlank())
                    .map(s -> URI.create(s.endsWith("/") ? s : s + "/")).toList();
        } else {
            String repo = System.getProperty("cube.repo", ".");
            cluster = new ClusterScript(ClusterScript.defaultScript(), Map.of(
                    "CUBE_RUN_DIR", env("CUBE_BENCH_RUN_DIR", Path.of(repo, "run", "bench").toString()),
                    "CUBE_CLUSTER_API_PORT", env("CUBE_BENCH_API_PORT", "18180"),
                    "CUBE_CLUSTER_RAFT_PORT", env("CUBE_BENCH_RAFT_PORT", "19970")));
            if (cluster.status() != 3) {
                System.err.println("bench: a cluster already runs in " + cluster.describe().runDir()
                        + "; stop it (CUBE_RUN_DIR=... ops/cluster.sh down) or point CUBE_URLS at it");
                return 3;
            }
            cluster.down(true);
            cluster.up(managerCount, 0);
            urls = cluster.describe().urls();
        }
        Result result;
        try {
            result = run(urls, clients, seconds, warmup);
        } finally {
            if (cluster != null) cluster.down(true);
        }
        System.out.printf("throughput: %d clients over %d manager(s), %d s measured after %d ms warm-up%n",
                clients, urls.size(), seconds, warmup.toMillis());
        System.out.printf("  acknowledged (201): %d  ->  %.1f submissions/s%n", result.ok, result.perSecond);
        System.out.printf("  latency of acknowledged: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                result.p50 / 1e6, result.p99 / 1e6, result.max / 1e6);
        System.out.printf("  errors: %d %s%n", result.errorCount(), result.errors);
        ObjectNode json = Http.JSON.createObjectNode();
        json.put("clients", clients).put("managers", urls.size()).put("seconds", seconds)
                .put("submissions_per_sec", Math.round(result.perSecond * 10) / 10.0)
                .put("p50_ms", Math.round(result.p50 / 1e5) / 10.0).put("p99_ms", Math.round(result.p99 / 1e5) / 10.0)
                .put("max_ms", Math.round(result.max / 1e5) / 10.0)
                .put("acknowledged", result.ok).put("errors", result.errorCount());
        ObjectNode byStatus = json.putObject("errors_by_status");
        result.errors.forEach(byStatus::put);
        System.out.println(Http.JSON.writeValueAsString(json));
        return result.ok > 0 ? 0 : 1;
    }

    private record Result(long ok, double perSecond, long p50, long p99, long max, Map<String, Long> errors) {
        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private Result run(List<URI> urls, int clients, int seconds, Duration warmup) throws InterruptedException {
        String prefix = "bench-" + Long.toString(System.currentTimeMillis() / 1000, 36) + "-";
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long measureTo = measureFrom + Duration.ofSeconds(seconds).toNanos();
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        String[] firstError = new String[1];
        for (int c = 0; c < clients; c++) {
            final int client = c;
            final long[][] mine = new long[1][];
            Thread thread = Thread.ofVirtual().name("bench-client-" + c).unstarted(() -> {
                URI manager = urls.get(client % urls.size());
                long[] buffer = new long[1024];
                int n = 0;
                for (long seq = 0; System.nanoTime() < measureTo; seq++) {
                    String name = prefix + client + "-" + seq;
                    long t0 = System.nanoTime();
                    Http.Reply reply = http.post(manager, "tasks", SubmissionStream.body(name, false), Duration.ofSeconds(10));
                    long t1 = System.nanoTime();
                    if (t1 < measureFrom || t1 > measureTo) continue;
                    if (reply.status() == 201) {
                        if (n == buffer.length) buffer = Arrays.copyOf(buffer, n * 2);
                        buffer[n++] = t1 - t0;
                    } else {
                        String key = reply.answered() ? String.valueOf(reply.status()) : "io";
                        errors.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
                        synchronized (firstError) {
                            if (firstError[0] == null) {
                                firstError[0] = key + " " + (reply.answered() ? reply.body() : reply.failure());
                                System.err.println("bench: first error: " + firstError[0]);
                            }
                        }
                        if (!reply.answered()) sleepQuietly(50);
                    }
                }
                mine[0] = Arrays.copyOf(buffer, n);
                synchronized (latencies) {
                    latencies.add(mine[0]);
                }
            });
            threads.add(thread);
        }
        System.err.println("bench: " + clients + " clients over " + urls + ": " + warmup.toMillis() + " ms warm-up, then "
                + seconds + " s measured");
        threads.forEach(Thread::start);
        for (Thread t : threads) t.join();
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).toArray();
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((k, v) -> errorCounts.put(k, v.get()));
        return new Result(all.length, all.length / (double) seconds, Percentiles.of(all, 50), Percentiles.of(all, 99),
                Percentiles.max(all), errorCounts);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
