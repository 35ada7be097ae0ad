package dev.cube.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Bounds every wait on the cluster, so a lost request answers 503 instead of hanging. */
final class Deadlines {

    private Deadlines() {}

    /**
     * A copy of the future {@code call} returns that fails with a {@code TimeoutException} after
     * {@code limit}; the original is then cancelled, so work still queued for it is dropped (a write
     * already sent may still take effect: a 503 means the outcome is unknown). A call that throws
     * instead fails the copy.
     */
    static <T> CompletableFuture<T> within(Duration limit, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> future;
        try {
            future = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (future == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("the cluster returned no future"));
        }
        CompletableFuture<T> bounded = future.copy().orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS);
        bounded.whenComplete((value, failure) -> {
            if (failure instanceof TimeoutException) future.cancel(false);
        });
        return bounded;
    }
}
