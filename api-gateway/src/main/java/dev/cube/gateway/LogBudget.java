package dev.cube.gateway;

import java.util.HashMap;
import java.util.Map;

/**
 * How many lines a source (a worker id) may log per minute: a worker that floods the gateway with
 * bad reports must not fill the manager's disk with log lines. The first {@code perMinute} events
 * of a minute are logged; the count of the dropped ones is told with the next logged line.
 */
final class LogBudget {
    private static final long MINUTE_NANOS = 60_000_000_000L;
    private static final int MAX_SOURCES = 10_000;

    private final int perMinute;
    private final Map<String, long[]> windows = new HashMap<>();   // source -> {window start, logged, dropped}

    LogBudget(int perMinute) {
        this.perMinute = perMinute;
    }

    /**
     * -1 if this event must not be logged; otherwise how many events of {@code source} were dropped
     * since its last logged one (usually 0).
     */
    synchronized long admit(String source) {
        long now = System.nanoTime();
        if (windows.size() >= MAX_SOURCES && !windows.containsKey(source)) {
            windows.clear();   // many sources at once: start over rather than grow
        }
        long[] w = windows.computeIfAbsent(source, s -> new long[] {now, 0, 0});
        if (now - w[0] > MINUTE_NANOS) {
            w[0] = now;
            w[1] = 0;
        }
        if (w[1] >= perMinute) {
            w[2]++;
            return -1;
        }
        w[1]++;
        long dropped = w[2];
        w[2] = 0;
        return dropped;
    }
}
