package dev.cube.ops;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops (DELETE /tasks/{name}) acknowledged drill tasks once they are older than {@code keep}, so
 * neither running containers nor pending tasks pile up on a 2-core machine during a long drill.
 * A DELETE that is refused (no answer, 5xx) is tried again later on the next manager.
 */
final class Janitor {
    private static final Duration TIMEOUT = Duration.ofSeconds(6);
    private static final int PARALLEL = 8;

    private final Http http;
    private final List<URI> managers;
    private final long keepNanos;
    private final ConcurrentLinkedQueue<SubmissionStream.Ack> queue = new ConcurrentLinkedQueue<>();
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();
    private final Semaphore slots = new Semaphore(PARALLEL);
    private final AtomicInteger turn = new AtomicInteger();
    private volatile boolean running;
    private Thread thread;

    Janitor(Http http, List<URI> managers, Duration keep) {
        this.http = http;
        this.managers = List.copyOf(managers);
        this.keepNanos = keep.toNanos();
    }

    void offer(SubmissionStream.Ack ack) {
        queue.add(ack);
    }

    void start() {
        running = true;
        thread = Thread.ofPlatform().name("drill-janitor").daemon().start(this::loop);
    }

    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        slots.acquire(PARALLEL);
        slots.release(PARALLEL);
    }

    private void loop() {
        try {
            while (running) {
                SubmissionStream.Ack head = queue.peek();
                if (head == null || System.nanoTime() - head.nanos() < keepNanos) {
                    Thread.sleep(200);
                    continue;
                }
                queue.poll();
                slots.acquire();
                Thread.ofVirtual().start(() -> {
                    try {
                        if (!stopOnce(head.name())) queue.add(head); // retried after the others
                    } finally {
                        slots.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One DELETE on the next manager; true when it is done (2xx, or 4xx: nothing to stop). */
    private boolean stopOnce(String name) {
        URI manager = managers.get(Math.floorMod(turn.getAndIncrement(), managers.size()));
        Http.Reply reply = http.delete(manager, "tasks/" + name, TIMEOUT);
        if (reply.status() >= 200 && reply.status() < 500) {
            stopped.add(name);
            return true;
        }
        return false;
    }

    /** Stops every name not stopped yet (the drill's cleanup); returns how many could not be stopped. */
    int stopAll(Collection<String> names, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        ConcurrentLinkedQueue<String> todo = new ConcurrentLinkedQueue<>(names.stream().filter(n -> !stopped.contains(n)).toList());
        AtomicInteger failed = new AtomicInteger();
        Semaphore many = new Semaphore(16);
        while (true) {
            // Idle first, then poll: a DELETE to retry is queued before its slot is released.
            boolean idle = many.availablePermits() == 16;
            String name = todo.poll();
            if (name == null) {
                if (idle) break;
                Thread.sleep(50);
                continue;
            }
            many.acquire();
            final String n = name;
            Thread.ofVirtual().start(() -> {
                try {
                    if (!stopOnce(n)) {
                        if (System.nanoTime() < deadline) todo.add(n); else failed.incrementAndGet();
                    }
                } finally {
                    many.release();
                }
            });
        }
        return failed.get();
    }
}
