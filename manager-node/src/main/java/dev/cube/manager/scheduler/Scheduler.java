package dev.cube.manager.scheduler;

import dev.cube.model.Task;
import dev.cube.store.Command.Placement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One scheduling pass: for each pending task in order, look at workers until {@code limit} of them
 * pass every filter, pick the best of those by the scorer, and account the placement before the
 * next task. Pure: it reads a view and returns decisions; only the state machine changes the store.
 *
 * <p>Cost: fleets of up to {@link #FULL_SCAN_UP_TO} workers are scanned whole (in id order, so ties go
 * to the smallest id). Larger fleets are visited in a seeded shuffled order from a cursor that moves
 * on from task to task, and a task takes the best of the first {@code max(16, log2 W)} workers that
 * fit (as Nomad limits its candidates), and stops after 8 times that many visits once one fits;
 * a pass thus costs a bounded number of filter checks per placed task, not W. Spread and E-PVM move the cursor past every worker a task
 * looked at, so the next task looks at others; bin-pack moves it only past the workers that did
 * not fit, so tasks keep filling the same workers until they are full. A task that fits nowhere
 * has been checked against every worker, so its reason counts them all; later tasks of the same
 * demand in the pass get that reason without a new scan, as workers only fill up during a pass.
 */
public final class Scheduler {
    public static final int FULL_SCAN_UP_TO = 64;
    static final int MIN_SAMPLE = 16;

    private final List<Filter> filters;
    private final Strategy strategy;

    public Scheduler(List<Filter> filters, Strategy strategy) {
        this.filters = List.copyOf(filters);
        this.strategy = strategy;
    }

    /** The standard filters with the default strategy (spread). */
    public static Scheduler standard() {
        return of(Strategy.DEFAULT);
    }

    public static Scheduler of(Strategy strategy) {
        return new Scheduler(Filters.STANDARD, strategy);
    }

    public Strategy strategy() {
        return strategy;
    }

    /** The longest reason a pending task gets. */
    public static final int MAX_REASON_CHARS = 1_000;

    /** Placements for the tasks that fit, and a reason for each that does not. */
    public record Plan(List<Placement> placements, Map<String, String> reasons) {}

    public Plan plan(List<Task> pending, List<Candidate> workers) {
        return plan(pending, workers, 0);
    }

    /** A pass; {@code seed} orders the visit of large fleets (the same inputs and seed give the same plan). */
    public Plan plan(List<Task> pending, List<Candidate> workers, long seed) {
        Candidate[] fleet = workers.toArray(Candidate[]::new);
        Arrays.sort(fleet, Comparator.comparing(c -> c.worker().id()));
        int n = fleet.length;
        int limit = candidateLimit(n);
        // On a crowded fleet fitting workers are rare: once one is found, stop looking after this many.
        int maxVisits = limit >= n ? n : 8 * limit;
        int[] order = visitOrder(n, limit, seed);
        Scorer scorer = strategy.scorer(n);
        boolean packs = strategy == Strategy.BINPACK;
        List<Placement> placements = new ArrayList<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<Demand, String> unfit = new HashMap<>();
        Map<String, Integer> rejections = new HashMap<>();
        int cursor = 0;
        for (Task task : pending) {
            Demand demand = Demand.of(task.spec());
            String known = unfit.get(demand);
            if (known != null) {
                reasons.put(task.id(), known);
                continue;
            }
            rejections.clear();
            int best = -1;
            double bestScore = 0;
            int fits = 0;
            int visited = 0;
            int leadingRejections = -1;
            while (visited < n && fits < limit && !(fits > 0 && visited >= maxVisits)) {
                int i = order[(cursor + visited) % n];
                visited++;
                String reason = firstRejection(demand, fleet[i]);
                if (reason != null) {
                    rejections.merge(reason, 1, Integer::sum);
                    continue;
                }
                if (fits++ == 0) leadingRejections = visited - 1;
                double score = scorer.score(demand, fleet[i]);
                if (best < 0 || score > bestScore
                        || (score == bestScore && fleet[i].worker().id().compareTo(fleet[best].worker().id()) < 0)) {
                    best = i;
                    bestScore = score;
                }
            }
            if (limit < n) cursor = (cursor + (packs && leadingRejections >= 0 ? leadingRejections : visited)) % n;
            if (best < 0) {
                String reason = explain(n, rejections);
                unfit.put(demand, reason);
                reasons.put(task.id(), reason);
            } else {
                placements.add(new Placement(task.id(), fleet[best].worker().id(), task.version()));
                fleet[best] = fleet[best].with(task.spec());
            }
        }
        return new Plan(placements, reasons);
    }

    /** How many fitting workers a task compares: all of a small fleet, else max(16, ceil(log2 n)). */
    static int candidateLimit(int n) {
        if (n <= FULL_SCAN_UP_TO) return Math.max(n, 1);
        int log2 = 32 - Integer.numberOfLeadingZeros(n - 1);
        return Math.max(MIN_SAMPLE, log2);
    }

    /** Worker indexes in visiting order: id order for a full scan, else a seeded shuffle. */
    private static int[] visitOrder(int n, int limit, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (limit >= n) return order;
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private String firstRejection(Demand task, Candidate c) {
        for (Filter f : filters) {
            String reason = f.reject(task, c);
            if (reason != null) return reason;
        }
        return null;
    }

    /**
     * "0/3 workers fit: 2 insufficient memory, 1 down": most frequent reason first, then by name; cut
     * to {@link #MAX_REASON_CHARS} (a reason is stored on the task and bounds a pass's log entry).
     */
    static String explain(int workers, Map<String, Integer> rejections) {
        if (workers == 0) return "0/0 workers fit: no worker has registered";
        String reason = "0/" + workers + " workers fit: " + new TreeMap<>(rejections).entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return reason.length() <= MAX_REASON_CHARS ? reason : reason.substring(0, MAX_REASON_CHARS - 1) + "…";
    }
}
