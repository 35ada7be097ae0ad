package dev.cube.worker.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends calls of the fleet's connections that outlive their deadline, by closing the connection:
 * one thread that looks once a second, where a read timeout on each socket costs a timer entry
 * scheduled and cancelled for every blocking read of thousands of virtual threads.
 */
final class CallWatchdog implements AutoCloseable {
    private static final long PERIOD_MS = 1_000;

    private final Set<BlockingHttp> watched = ConcurrentHashMap.newKeySet();
    private final Thread thread = Thread.ofPlatform().daemon().name("cube-sim-watchdog").unstarted(this::loop);

    CallWatchdog start() {
        thread.start();
        return this;
    }

    void watch(BlockingHttp connection) {
        watched.add(connection);
    }

    private void loop() {
        try {
            while (true) {
                Thread.sleep(PERIOD_MS);
                long now = System.nanoTime();
                for (BlockingHttp connection : watched) connection.expireIfPast(now);
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
