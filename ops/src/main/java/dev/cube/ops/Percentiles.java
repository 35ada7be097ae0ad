package dev.cube.ops;

import java.util.Arrays;

/** Nearest-rank percentiles of a sample. */
final class Percentiles {
    private Percentiles() {}

    /** The p-th percentile (0 < p <= 100) by nearest rank, or -1 for an empty sample. */
    static long of(long[] values, double p) {
        if (values.length == 0) return -1;
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static long max(long[] values) {
        return values.length == 0 ? -1 : Arrays.stream(values).max().orElse(-1);
    }
}
