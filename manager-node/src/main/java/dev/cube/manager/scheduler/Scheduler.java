package dev.cube.manager.scheduler;

import dev.cube.model.Task;
import dev.cube.store.Command.Placement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * One scheduling pass: for each pending task in order, keep the workers every filter accepts,
 * pick the best by the scorer, and account the placement before the next task. Pure: it reads a
 * view and returns decisions; only the state machine changes the store.
 */
public final class Scheduler {
    private final List<Filter> filters;
    private final Scorer scorer;

    public Scheduler(List<Filter> filters, Scorer scorer) {
        this.filters = List.copyOf(filters);
        this.scorer = scorer;
    }

    /** The default chain: ready first (cheapest, and "down" is the clearest reason), then resources. */
    public static Scheduler standard() {
        return new Scheduler(List.of(Filters.READY, Filters.CPU, Filters.MEMORY), new LeastAllocated());
    }

    /** Placements for the tasks that fit, and a reason for each that does not. */
    public record Plan(List<Placement> placements, Map<String, String> reasons) {}

    public Plan plan(List<Task> pending, List<Candidate> workers) {
        Map<String, Candidate> view = new TreeMap<>();   // by worker id: deterministic ties
        workers.forEach(c -> view.put(c.worker().id(), c));
        List<Placement> placements = new ArrayList<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        for (Task task : pending) {
            Candidate best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            Map<String, Integer> rejections = new TreeMap<>();
            for (Candidate c : view.values()) {
                String reason = firstRejection(task, c);
                if (reason != null) {
                    rejections.merge(reason, 1, Integer::sum);
                    continue;
                }
                double score = scorer.score(task.spec(), c);
                if (score > bestScore) {
                    best = c;
                    bestScore = score;
                }
            }
            if (best == null) {
                reasons.put(task.id(), explain(view.size(), rejections));
            } else {
                placements.add(new Placement(task.id(), best.worker().id(), task.version()));
                view.put(best.worker().id(), best.with(task.spec()));
            }
        }
        return new Plan(placements, reasons);
    }

    private String firstRejection(Task task, Candidate c) {
        for (Filter f : filters) {
            String reason = f.reject(task.spec(), c);
            if (reason != null) return reason;
        }
        return null;
    }

    /** "0/3 workers fit: 2 insufficient memory, 1 down" — most frequent reason first. */
    static String explain(int workers, Map<String, Integer> rejections) {
        if (workers == 0) return "0/0 workers fit: no worker has registered";
        return "0/" + workers + " workers fit: " + rejections.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
