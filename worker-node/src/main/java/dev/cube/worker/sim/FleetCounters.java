package dev.cube.worker.sim;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What a simulated fleet has done so far: distinct workers registered, task reports accepted. */
public final class FleetCounters {
    private final Set<String> registered = ConcurrentHashMap.newKeySet();
    private final LongAdder registrations = new LongAdder();
    private final LongAdder reports = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final java.util.concurrent.atomic.AtomicLong slowestHeartbeatNanos = new java.util.concurrent.atomic.AtomicLong();

    void registered(String workerId) {
        registered.add(workerId);
        registrations.increment();
    }

    void reported(int accepted) {
        reports.add(accepted);
    }

    void heartbeat(long nanos) {
        slowestHeartbeatNanos.accumulateAndGet(nanos, Math::max);
    }

    /** The slowest heartbeat round trip (failover included) since the last call, in milliseconds. */
    public long takeSlowestHeartbeatMillis() {
        return slowestHeartbeatNanos.getAndSet(0) / 1_000_000;
    }

    /** Counts a failed call; true for the first few, which are worth a log line. */
    boolean failed() {
        failures.increment();
        return failures.sum() <= 20;
    }

    /** Calls that failed (no answer, timeout, an unexpected status): heartbeats, polls, reports. */
    public long failures() {
        return failures.sum();
    }

    /** Workers that registered at least once. */
    public int workersRegistered() {
        return registered.size();
    }

    /** Registrations, re-registrations included. */
    public long registrations() {
        return registrations.sum();
    }

    /** Status reports the managers accepted. */
    public long reportsAccepted() {
        return reports.sum();
    }
}
