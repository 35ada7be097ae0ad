package dev.cube.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * ops/drill: kills the Raft leader of a local cluster (ops/cluster.sh) round after round under a
 * steady stream of submissions, measures each write-unavailability window, and verifies at the end
 * that no acknowledged task was lost and none runs twice.
 */
public final class Drill {
    static final String HELP = """
            usage: ops/drill [--rounds 10] [--rate 20] [--settle 5s] [--runnable-every 40] [--keep 30s]

            Against the cluster of ops/cluster.sh (CUBE_RUN_DIR, default run/cluster; if none runs, the
            drill starts one with 3 managers and 1 worker and stops it again at the end).

            A steady stream of POST /tasks (--rate per second, unique names drill-<run>-<n>) is spread
            over every manager's API; a refused attempt (no answer, 503, other 5xx, timeout) is retried
            on the next manager. Each acknowledged (201) name is recorded with its ack time, each refused
            attempt with its time. Per round: find the leader (GET /managers), SIGKILL it
            (ops/cluster.sh kill), wait --settle, start it again (ops/cluster.sh start) and wait until
            it answers GET /managers with a leader and has applied what the leader committed (so each
            round kills the leader of three healthy managers, not one whose other follower still replays).
              unavailability = the longest gap between consecutive acks, from the last ack before the
                               SIGKILL (its time as ops/cluster.sh reports it) to the first ack after
                               the new leader is seen (answers to writes the old leader committed just
                               before it died may still arrive a few ms after the kill)
              refused        = refused attempts in that window (and from the kill to the round's end,
                               which includes every attempt that first tried the dead manager)
              longest gap    = the longest gap between consecutive acks from the kill to the round's
                               end (the restart of the killed manager included)
            At the end the drill waits until the managers agree, then checks on every manager's own
            copy (GET /tasks?stale=true) that every acknowledged name is there (lost), and in Docker
            and the store that no task id has two containers and no name two live tasks (duplicates).
            Then it stops the drill's tasks (DELETE) and removes their containers on the cluster's workers.

            Why most tasks stay pending: a worker on 2 cores starts about 2 containers a second, so a
            stream of 20 runnable tasks a second would pile up containers faster than dockerd copes,
            and the load would distort the failover being measured. So only every --runnable-every-th
            task (default 40th: 0.5 containers/s at rate 20) can run (sleep 600, 8m, 0.01 cpus: Docker refuses less); the
            others ask for 512g of memory, which no worker offers, and stay pending: each is still a
            durable Raft write, which is what the drill checks. And every task is stopped (DELETE)
            --keep after its acknowledgement (default 30s), so about 15 containers run at a time and
            the pending backlog stays small; a stopped task still counts for "lost" (it must exist).

            Prints a per-round table, a summary line, and the summary as one JSON line last.
            Exit status: 0 all good; 1 an acknowledged task was lost or a task ran twice;
            2 bad usage; 3 the drill could not run to the end (no leader, a manager did not come back).
            """;

    record Round(int round, String killed, String newLeader, long unavailableMs, int refusedWindow,
                 int refusedRound, long longestGapMs, String note) {}

    private final Http http = new Http();
    private final ClusterScript cluster;
    private final int rounds;
    private final double rate;
    private final Duration settle;
    private final int runnableEvery;
    private final Duration keep;

    Drill(ClusterScript cluster, int rounds, double rate, Duration settle, int runnableEvery, Duration keep) {
        this.cluster = cluster;
        this.rounds = rounds;
        this.rate = rate;
        this.settle = settle;
        this.runnableEvery = runnableEvery;
        this.keep = keep;
    }

    public static void main(String[] argv) {
        int exit;
        try {
            Args args = new Args(argv, Set.of("rounds", "rate", "settle", "runnable-every", "keep"));
            if (args.help()) {
                System.out.print(HELP);
                return;
            }
            if (!args.positional().isEmpty()) throw new Args.UsageException("unexpected argument " + args.positional().getFirst());
            Drill drill = new Drill(new ClusterScript(ClusterScript.defaultScript(), Map.of()),
                    args.integer("rounds", 10, 1), args.number("rate", 20),
                    args.duration("settle", Duration.ofSeconds(5)), args.integer("runnable-every", 40, 0),
                    args.duration("keep", Duration.ofSeconds(30)));
            exit = drill.run();
        } catch (Args.UsageException e) {
            System.err.println("drill: " + e.getMessage());
            System.err.print(HELP);
            exit = 2;
        } catch (Exception e) {
            System.err.println("drill: " + e);
            exit = 3;
        }
        System.exit(exit);
    }

    int run() throws Exception {
        int status = cluster.status();
        boolean startedHere = false;
        if (status == 3) {
            log("no cluster runs: starting one (ops/cluster.sh up --managers 3 --workers 1)");
            cluster.up(3, 1);
            startedHere = true;
        } else if (status != 0) {
            System.err.println("drill: the cluster is partly down (ops/cluster.sh status); start what is missing"
                    + " (ops/cluster.sh up) or stop it (ops/cluster.sh down)");
            return 3;
        }
        Report report;
        try {
            report = drill(cluster.describe());
        } finally {
            if (startedHere) {
                log("stopping the cluster this drill started (ops/cluster.sh down)");
                cluster.down(false);
            }
        }
        System.out.print(report.text()); // the table, the summary, and the JSON line last
        return report.exit();
    }

    /** What the drill prints at the very end, and its exit status. */
    record Report(int exit, String text) {}

    private Report drill(ClusterScript.Description description) throws Exception {
        if (description.managers().size() < 3) {
            System.err.println("drill: the cluster has " + description.managers().size()
                    + " manager(s); a failover drill needs at least 3");
            return new Report(3, "");
        }
        String prefix = "drill-" + Long.toString(System.currentTimeMillis() / 1000, 36) + "-";
        List<URI> urls = description.urls();
        Janitor janitor = new Janitor(http, urls, keep);
        SubmissionStream stream = new SubmissionStream(http, urls, rate, runnableEvery, prefix, janitor::offer);
        log("drill " + prefix + "*: " + rounds + " round(s), " + rate + " submissions/s over " + urls.size()
                + " managers, settle " + settle.toMillis() + " ms, every " + runnableEvery + "th task runnable, keep "
                + keep.toSeconds() + " s");
        stream.start();
        janitor.start();
        List<Round> done = new ArrayList<>();
        String abort = null;
        try {
            if (!awaitAck(stream, System.nanoTime(), Duration.ofSeconds(20))) {
                abort = "no submission was acknowledged within 20 s";
            }
            Thread.sleep(2000); // a steady stream before the first kill
            for (int r = 1; r <= rounds && abort == null; r++) {
                RoundRunner.Outcome outcome = new RoundRunner(http, cluster, stream, settle).run(r);
                done.add(outcome.round());
                log(format(outcome.round()));
                abort = outcome.abort();
            }
        } finally {
            stream.stop(Duration.ofSeconds(30));
            janitor.stop();
        }
        if (abort != null) log("drill stopped early: " + abort);

        // ---- verification ----
        ClusterScript.Description now = cluster.describe();
        Verifier verifier = new Verifier(http, now.managers(), prefix);
        String disagreement = verifier.awaitAgreement(Duration.ofSeconds(60));
        if (disagreement != null) log("the managers did not agree within 60 s: " + disagreement);
        List<SubmissionStream.Ack> acks = stream.acksSorted();
        List<String> names = acks.stream().map(SubmissionStream.Ack::name).toList();
        Map<String, Set<String>> missing = verifier.missing(names);
        Set<String> lost = new TreeSet<>();
        missing.values().forEach(lost::addAll);
        missing.forEach((id, gone) -> log("manager " + id + " lacks " + gone.size() + " acknowledged task(s), e.g. "
                + gone.stream().limit(5).toList()));

        List<String> workerIds = now.workers().stream().flatMap(w -> w.workerId().stream()).toList();
        List<JsonNode> tasks = verifier.drillTasks();
        List<Verifier.Container> containers = verifier.containers(workerIds);
        List<String> duplicates = Verifier.duplicates(containers, tasks);
        duplicates.stream().limit(20).forEach(d -> log("duplicate: " + d));
        Map<String, Integer> runnableStates = new TreeMap<>();
        Set<String> runnableNames = new TreeSet<>();
        acks.stream().filter(SubmissionStream.Ack::runnable).forEach(a -> runnableNames.add(a.name()));
        tasks.stream().filter(t -> runnableNames.contains(t.path("name").asText()))
                .forEach(t -> runnableStates.merge(t.path("state").asText(), 1, Integer::sum));
        log("runnable drill tasks by state (before cleanup): " + runnableStates + "; containers: " + containers.size());
        log("workers (GET /workers): " + verifier.workers());

        // ---- cleanup: stop the drill's tasks, then remove their containers ----
        int notStopped = janitor.stopAll(names, Duration.ofSeconds(60));
        verifier.removeContainers(verifier.containers(workerIds));
        int notRemoved = verifier.containers(workerIds).size();
        log("cleanup: stopped the drill's tasks" + (notStopped > 0 ? " (" + notStopped + " could not be stopped)" : "")
                + ", removed their containers" + (notRemoved > 0 ? " (" + notRemoved + " could not be removed)" : ""));

        // ---- report ----
        long[] windows = done.stream().filter(r -> r.unavailableMs() >= 0).mapToLong(Round::unavailableMs).toArray();
        long p50 = Percentiles.of(windows, 50);
        long max = Percentiles.max(windows);
        int viaConflict = (int) acks.stream().filter(SubmissionStream.Ack::viaConflict).count();
        StringBuilder out = new StringBuilder("\n");
        out.append(String.format("%-5s  %-6s  %-10s  %18s  %15s  %14s  %14s%n", "round", "killed", "new leader",
                "unavailability ms", "refused (window)", "refused (round)", "longest gap ms"));
        for (Round r : done) {
            out.append(String.format("%-5d  %-6s  %-10s  %18s  %15d  %14d  %14s%s%n", r.round(), r.killed(), r.newLeader(),
                    r.unavailableMs() < 0 ? "-" : String.valueOf(r.unavailableMs()), r.refusedWindow(), r.refusedRound(),
                    r.longestGapMs() < 0 ? "-" : String.valueOf(r.longestGapMs()),
                    r.note() == null ? "" : "  " + r.note()));
        }
        out.append(String.format("summary: %d round(s), unavailability p50 %d ms, max %d ms; acknowledged %d (%d via 409 on a retry),"
                        + " refused attempts %d, failed submissions %s; lost %d, duplicates %d%s%n",
                done.size(), p50, max, acks.size(), viaConflict, stream.refusals.size(), stream.failures,
                lost.size(), duplicates.size(), abort == null ? "" : "; stopped early: " + abort));

        ObjectNode json = Http.JSON.createObjectNode();
        json.put("rounds", done.size()).put("rate", rate).put("settle_ms", settle.toMillis())
                .put("p50_unavailability_ms", p50).put("max_unavailability_ms", max)
                .put("acknowledged", acks.size()).put("acknowledged_via_409", viaConflict)
                .put("refused_attempts", stream.refusals.size())
                .put("lost", lost.size()).put("duplicates", duplicates.size())
                .put("managers_agreed", disagreement == null).put("completed", abort == null);
        ArrayNode detail = json.putArray("per_round");
        for (Round r : done) {
            detail.addObject().put("round", r.round()).put("killed", r.killed()).put("new_leader", r.newLeader())
                    .put("unavailability_ms", r.unavailableMs()).put("refused_window", r.refusedWindow())
                    .put("refused_round", r.refusedRound()).put("longest_gap_ms", r.longestGapMs());
        }
        out.append(Http.JSON.writeValueAsString(json)).append('\n');
        int exit = !lost.isEmpty() || !duplicates.isEmpty() ? 1 : abort == null && disagreement == null ? 0 : 3;
        return new Report(exit, out.toString());
    }

    private static String format(Round r) {
        return "round " + r.round() + ": killed " + r.killed() + ", new leader " + r.newLeader() + ", unavailable "
                + r.unavailableMs() + " ms, refused " + r.refusedWindow() + " in the window (" + r.refusedRound()
                + " in the round), longest gap " + r.longestGapMs() + " ms" + (r.note() == null ? "" : "; " + r.note());
    }

    static boolean awaitAck(SubmissionStream stream, long afterNanos, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (stream.lastAckNanos() <= afterNanos) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(20);
        }
        return true;
    }

    static void log(String line) {
        System.out.println("[" + java.time.LocalTime.now().withNano(0) + "] " + line);
    }

    static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isTextual() && !value.asText().isEmpty() ? Optional.of(value.asText()) : Optional.empty();
    }
}
