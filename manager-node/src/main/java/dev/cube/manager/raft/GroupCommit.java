package dev.cube.manager.raft;

import dev.cube.store.Command;
import dev.cube.store.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Group commit: concurrent writes share one Raft entry. A write goes out at once when fewer than
 * {@code maxInFlight} entries are in flight (so a lone write waits for nobody); otherwise it waits
 * in the queue and leaves with the next entry, together with everything queued behind it.
 */
final class GroupCommit {
    private record Pending(Command command, CompletableFuture<Outcome> outcome) {}

    private final Function<Command, CompletableFuture<Outcome>> send;
    private final int maxBatch;
    private final ToIntFunction<Command> weight;
    private final Semaphore inFlight;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

    GroupCommit(Function<Command, CompletableFuture<Outcome>> send, int maxInFlight, int maxBatch) {
        this(send, maxInFlight, maxBatch, command -> 1);
    }

    /**
     * @param maxBatch an entry closes once the weights of its commands reach this (so one heavy
     *                 command may overshoot it; it still goes, alone if need be)
     * @param weight   what a command counts towards {@code maxBatch}: bulk commands count their items
     */
    GroupCommit(Function<Command, CompletableFuture<Outcome>> send, int maxInFlight, int maxBatch,
                ToIntFunction<Command> weight) {
        this.send = send;
        this.maxBatch = maxBatch;
        this.weight = weight;
        this.inFlight = new Semaphore(maxInFlight);
    }

    CompletableFuture<Outcome> submit(Command command) {
        Pending pending = new Pending(command, new CompletableFuture<>());
        queue.add(pending);
        drain();
        return pending.outcome();
    }

    /** Sends queued writes while entries may go out; whoever frees a slot drains again. */
    private void drain() {
        while (!queue.isEmpty() && inFlight.tryAcquire()) {
            List<Pending> batch = new ArrayList<>();
            long weighed = 0;
            for (Pending p; weighed < maxBatch && (p = queue.poll()) != null; ) {
                if (!p.outcome().isDone()) {   // done = its caller gave up: never send it
                    batch.add(p);
                    weighed += Math.max(1, weight.applyAsInt(p.command()));
                }
            }
            if (batch.isEmpty()) {
                inFlight.release();
                continue;
            }
            Command entry = batch.size() == 1 ? batch.getFirst().command()
                    : new Command.Batch(batch.stream().map(Pending::command).toList(), Instant.now());
            send.apply(entry).whenComplete((outcome, failure) -> {
                inFlight.release();
                complete(batch, outcome, failure);
                drain();
            });
        }
    }

    private static void complete(List<Pending> batch, Outcome outcome, Throwable failure) {
        if (failure != null) {
            batch.forEach(p -> p.outcome().completeExceptionally(failure));
        } else if (batch.size() == 1) {
            batch.getFirst().outcome().complete(outcome);
        } else if (outcome instanceof Outcome.Batch many && many.outcomes().size() == batch.size()) {
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).outcome().complete(many.outcomes().get(i));
            }
        } else {
            IllegalStateException wrong = new IllegalStateException("a batch of " + batch.size() + " came back as " + outcome);
            batch.forEach(p -> p.outcome().completeExceptionally(wrong));
        }
    }
}
