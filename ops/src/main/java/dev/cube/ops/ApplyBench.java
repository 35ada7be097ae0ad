package dev.cube.ops;

import dev.cube.events.EventJournal;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Command;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import dev.cube.store.TaskStore;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ops/bench apply: what every manager does with each entry of a scale run, in one thread and
 * without Raft, so that a change to the store can be measured in seconds instead of through the
 * noise of a whole cluster on two cores.
 */
final class ApplyBench {
    static final String HELP = """
            usage: ops/bench apply [--workers 5000] [--tasks 1000000] [--rounds 3] [--chunk 10000] [--pass 40000]

            Applies to an in-process store (with its event journal, as a manager has) the entries of a
            scale run: --workers registrations, submissions of --chunk replicas, placements in passes of
            --pass tasks spread over the workers, and each worker's report that its tasks run, one per
            worker and pass. Each entry is written as JSON first (not timed), then read and applied
            (timed), as a manager reads it from its log. Runs --rounds times in this JVM (the first warms
            the JIT up) and prints, per round and phase, seconds and microseconds per task; the last
            round's figures last as one JSON line.
            """;

    record Options(int workers, int tasks, int rounds, int chunk, int pass) {}

    /** Time spent reading and applying entries, per phase. */
    private static final class Phase {
        long nanos;
        long entries;
    }

    private final Options o;
    private final PrintStream out;
    private final Instant at = Instant.parse("2026-01-01T00:00:00Z");
    private long index;

    ApplyBench(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    int run() {
        String last = null;
        for (int round = 1; round <= o.rounds(); round++) {
            index = 0;
            TaskStore store = new TaskStore();
            store.observe(new EventJournal());
            Phase register = new Phase();
            Phase submit = new Phase();
            Phase place = new Phase();
            Phase report = new Phase();
            List<String> workerIds = new ArrayList<>();
            for (int w = 0; w < o.workers(); w++) {
                String id = "sim-" + w;
                workerIds.add(id);
                apply(store, register, new Command.RegisterWorker(id, id, "simulated", 4, 16L << 30, Map.of(),
                        "session-" + w, at, null, null));
            }
            List<String> taskIds = new ArrayList<>(o.tasks());
            List<Long> versions = new ArrayList<>(o.tasks());
            String seed = "round-" + round;
            for (int from = 0; from < o.tasks(); from += o.chunk()) {
                int count = Math.min(o.chunk(), o.tasks() - from);
                TaskSpec spec = new TaskSpec("bench-" + from, "cube-demo:latest", List.of("sleep", "3600"), Map.of(),
                        0.01, 8L << 20, List.of(), Map.of());
                apply(store, submit, new Command.SubmitReplicas(seed + "-" + from, spec, count, at));
                for (int i = 1; i <= count; i++) {
                    taskIds.add(Command.SubmitReplicas.replicaId(seed + "-" + from, i));
                    versions.add(index);
                }
            }
            int next = 0;
            for (int from = 0; from < o.tasks(); from += o.pass()) {
                int to = Math.min(o.tasks(), from + o.pass());
                List<Command.Placement> placements = new ArrayList<>(to - from);
                List<List<Command.StatusUpdate>> byWorker = new ArrayList<>();
                for (int w = 0; w < o.workers(); w++) byWorker.add(new ArrayList<>());
                for (int t = from; t < to; t++) {
                    int w = next++ % o.workers();
                    placements.add(new Command.Placement(taskIds.get(t), workerIds.get(w), versions.get(t)));
                    byWorker.get(w).add(new Command.StatusUpdate(taskIds.get(t), TaskState.RUNNING,
                            "simulated-" + taskIds.get(t), null, null));
                }
                apply(store, place, new Command.PlaceTasks(placements, Map.of(), at, 0));
                for (int w = 0; w < o.workers(); w++) {
                    if (byWorker.get(w).isEmpty()) continue;
                    apply(store, report, new Command.ReportTaskStatuses(workerIds.get(w), "session-" + w,
                            byWorker.get(w), at));
                }
            }
            long running = store.count(TaskState.RUNNING);
            if (running != o.tasks()) {
                System.err.println("bench: " + running + " of " + o.tasks() + " tasks run after round " + round);
                return 1;
            }
            double total = seconds(register) + seconds(submit) + seconds(place) + seconds(report);
            out.printf(Locale.ROOT, "round %d: %.2f s (register %.2f, submit %.2f, place %.2f, report %.2f);"
                            + " %.2f µs per task%n", round, total, seconds(register), seconds(submit),
                    seconds(place), seconds(report), 1e6 * total / o.tasks());
            last = String.format(Locale.ROOT, "{\"workers\":%d,\"tasks\":%d,\"round\":%d,\"seconds\":%.3f,"
                            + "\"submit_seconds\":%.3f,\"place_seconds\":%.3f,\"report_seconds\":%.3f,"
                            + "\"entries\":%d,\"micros_per_task\":%.3f}", o.workers(), o.tasks(), round, total,
                    seconds(submit), seconds(place), seconds(report),
                    register.entries + submit.entries + place.entries + report.entries, 1e6 * total / o.tasks());
        }
        out.println(last);
        return 0;
    }

    /** Writes the command as its log entry would hold it, then reads and applies it, timing only that. */
    private void apply(TaskStore store, Phase phase, Command command) {
        byte[] entry = Json.bytes(command);
        long start = System.nanoTime();
        Outcome outcome = store.apply(1, ++index, Json.read(entry, Command.class));
        phase.nanos += System.nanoTime() - start;
        phase.entries++;
        if (outcome instanceof Outcome.Rejected r) {
            throw new IllegalStateException("entry " + index + " was refused: " + r.message());
        }
    }

    private static double seconds(Phase phase) {
        return phase.nanos / 1e9;
    }
}
