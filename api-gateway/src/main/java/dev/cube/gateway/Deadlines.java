package dev.cube.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Bounds every wait on the cluster, so a lost request answers 503 instead of hanging. */
final class Deadlines {

    private Deadlines() {}

    /**
     * A copy of the future {@code call} returns that fails with a {@code TimeoutException} after
     * {@code limit} (the original is left alone). A call that throws instead fails the copy.
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
        return future.copy().orTimeout(limit.toMillis(), TimeUnit.MILLISECONDS);
    }
}
