package dev.cube.ops;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A steady stream of task submissions at a fixed rate, spread over every manager's API. Each
 * submission keeps its name and tries the managers in turn until one acknowledges it: a refused
 * attempt (nothing answers, a 5xx such as 503 without a leader, or a timeout) moves on to the next
 * manager, with a 100 ms pause after a full turn. Records each acknowledged name with its ack time
 * and the time of each refused attempt. A 409 on a retry means an earlier attempt of this very
 * submission was committed after all (its answer was lost): the name counts as acknowledged then.
 */
final class SubmissionStream {
    /** One acknowledged submission; {@code nanos} on the System.nanoTime clock. */
    record Ack(String name, long nanos, boolean runnable, boolean viaConflict) {}

    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(6);
    private static final Duration GIVE_UP = Duration.ofSeconds(120);
    private static final int MAX_IN_FLIGHT = 500;

    private final Http http;
    private final List<URI> managers;
    private final double rate;
    private final int runnableEvery;
    private final String prefix;
    private final java.util.function.Consumer<Ack> onAck;

    final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> refusals = new ConcurrentLinkedQueue<>();
    /** Submissions that ended without an acknowledgement, by cause (e.g. "400", "gave up"). */
    final Map<String, AtomicInteger> failures = new ConcurrentHashMap<>();
    final AtomicInteger skipped = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong lastAck = new AtomicLong();
    private volatile boolean running;
    private Thread ticker;

    SubmissionStream(Http http, List<URI> managers, double rate, int runnableEvery, String prefix,
                     java.util.function.Consumer<Ack> onAck) {
        this.onAck = onAck;
        this.http = http;
        this.managers = List.copyOf(managers);
        this.rate = rate;
        this.runnableEvery = runnableEvery;
        this.prefix = prefix;
    }

    /** The spec of submission {@code i}: every runnableEvery-th one can run, the others cannot be placed. */
    static String body(String name, boolean runnable) {
        // 512g is more memory than any worker here offers, so such a task stays pending (a durable write
        // that costs no container); the runnable ones really start a container that sleeps.
        return "{\"name\":\"" + name + "\",\"image\":\"cube-demo:latest\",\"command\":[\"sleep\",\"600\"],"
                + "\"cpus\":0.01,\"memory\":\"" + (runnable ? "8m" : "512g") + "\"}";
    }

    void start() {
        running = true;
        ticker = Thread.ofPlatform().name("drill-ticker").daemon().start(this::tick);
    }

    /** Stops issuing new submissions and waits (bounded) for those in flight to finish. */
    void stop(Duration wait) throws InterruptedException {
        running = false;
        ticker.join();
        long deadline = System.nanoTime() + wait.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
    }

    int inFlight() {
        return inFlight.get();
    }

    long lastAckNanos() {
        return lastAck.get();
    }

    private void tick() {
        long period = (long) (1e9 / rate);
        long next = System.nanoTime();
        for (int i = 0; running; i++) {
            next += period;
            long sleep = next - System.nanoTime();
            if (sleep > 0) LockSupport.parkNanos(sleep);
            if (!running) break;
            if (inFlight.get() >= MAX_IN_FLIGHT) {
                skipped.incrementAndGet();
                continue;
            }
            final int index = i;
            inFlight.incrementAndGet();
            Thread.ofVirtual().start(() -> {
                try {
                    submit(index);
                } finally {
                    inFlight.decrementAndGet();
                }
            });
        }
    }

    private void submit(int index) {
        String name = prefix + index;
        boolean runnable = runnableEvery > 0 && index % runnableEvery == 0;
        String body = body(name, runnable);
        long giveUp = System.nanoTime() + GIVE_UP.toNanos();
        int m = index % managers.size();
        int attempts = 0;
        while (true) {
            Http.Reply reply = http.post(managers.get(m), "tasks", body, ATTEMPT_TIMEOUT);
            attempts++;
            long now = System.nanoTime();
            if (reply.status() == 201 || (reply.status() == 409 && attempts > 1)) {
                Ack ack = new Ack(name, now, runnable, reply.status() == 409);
                acks.add(ack);
                lastAck.accumulateAndGet(now, Math::max);
                onAck.accept(ack);
                return;
            }
            if (reply.status() >= 400 && reply.status() < 500) {
                failures.computeIfAbsent(String.valueOf(reply.status()), k -> new AtomicInteger()).incrementAndGet();
                if (failures.size() == 1 && failures.values().iterator().next().get() == 1) {
                    System.err.println("drill: POST /tasks answered " + reply.status() + ": " + reply.body());
                }
                return;
            }
            refusals.add(now);
            if (now > giveUp) {
                failures.computeIfAbsent("gave up after " + GIVE_UP.toSeconds() + " s", k -> new AtomicInteger())
                        .incrementAndGet();
                return;
            }
            m = (m + 1) % managers.size();
            if (attempts % managers.size() == 0) LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    /** The acknowledgements so far, in ack-time order. */
    List<Ack> acksSorted() {
        List<Ack> sorted = new ArrayList<>(acks);
        sorted.sort((a, b) -> Long.compare(a.nanos(), b.nanos()));
        return sorted;
    }
}
