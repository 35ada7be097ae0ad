package dev.cube.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.ManagerInfo;
import dev.cube.model.Task;
import dev.cube.model.Worker;
import dev.cube.store.Json;
import dev.cube.store.StoreChanges;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The last {@code capacity} events of this manager, derived from applied commands (so every manager
 * holds the same ones), and the subscribers that want new ones. An event is turned into its NDJSON
 * line only when someone first reads it: the apply thread pays for JSON only while somebody listens.
 *
 * <p>After a restart the journal holds what the log replayed since the last snapshot; events before
 * that, or pushed out of the ring, are gone. A subscriber asking for them gets a {@link Gap}.
 */
public final class EventJournal implements StoreChanges {
    public static final int DEFAULT_CAPACITY = 100_000;

    /**
     * Receives event lines (JSON and a newline) in index order: first the backlog, then each new
     * event on the apply thread. Calls come under the journal's lock: must not block.
     */
    @FunctionalInterface
    public interface Subscriber {
        void onEvent(long index, byte[] line);

        /** Called first, before the backlog, when some of the events asked for are no longer kept. */
        default void onGap(Gap gap) {}
    }

    /** Events after {@code since} were asked for, but those up to {@code coveredAfter} are no longer kept. */
    public record Gap(long since, long coveredAfter, long oldestKept) {}

    /** A registered subscriber; {@code cancel} stops the calls. */
    public record Subscription(Gap gap, Runnable cancel) {}

    /** An event, kept as what it is made of until its line is first needed. */
    private static final class Line {
        final long index;
        private Supplier<Event> event;
        private byte[] bytes;

        Line(long index, Supplier<Event> event) {
            this.index = index;
            this.event = event;
        }

        /** Called under the journal's lock. */
        byte[] bytes() {
            if (bytes == null) {
                byte[] json = Json.bytes(event.get());
                bytes = Arrays.copyOf(json, json.length + 1);
                bytes[json.length] = '\n';
                event = null;
            }
            return bytes;
        }
    }

    private final int capacity;
    private final ArrayDeque<Line> ring = new ArrayDeque<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();
    /** Every event with an index above this is in the ring (or not yet happened). */
    private long coveredAfter;
    private long lastIndex;

    public EventJournal() {
        this(DEFAULT_CAPACITY);
    }

    public EventJournal(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1");
        this.capacity = capacity;
    }

    /**
     * Registers {@code subscriber}. With {@code since} null it hears only new events; otherwise it
     * first hears the kept events with an index above {@code since}, oldest first (after
     * {@link Subscriber#onGap} if some of those are gone), then the new ones, none twice or missed.
     */
    public synchronized Subscription subscribe(Long since, Subscriber subscriber) {
        Gap gap = null;
        if (since != null) {
            if (since < coveredAfter) {
                gap = new Gap(since, coveredAfter, ring.isEmpty() ? coveredAfter + 1 : ring.peekFirst().index);
                subscriber.onGap(gap);
            }
            for (Line line : ring) {
                if (line.index > since) subscriber.onEvent(line.index, line.bytes());
            }
        }
        // A since ahead of this manager (it lags, or restarted): events up to it were seen elsewhere.
        Subscriber live = since == null ? subscriber : (index, line) -> {
            if (index > since) subscriber.onEvent(index, line);
        };
        subscribers.add(live);
        return new Subscription(gap, () -> subscribers.remove(live));
    }

    /** Index of the newest event, 0 if none. */
    public synchronized long lastIndex() {
        return lastIndex;
    }

    /** How many events are kept. */
    public synchronized int size() {
        return ring.size();
    }

    public int subscriberCount() {
        return subscribers.size();
    }

    @Override
    public void taskChanged(long index, Task before, Task after) {
        String type = EventTypes.task(before, after);
        boolean withSpec = before == null;
        append(new Line(index, () -> {
            ObjectNode payload = Json.MAPPER.valueToTree(after);
            payload.remove("history");
            if (!withSpec) payload.remove("spec");
            return new Event(index, Event.TASK, type, after.id(), payload);
        }));
    }

    @Override
    public void workerChanged(long index, Worker before, Worker after) {
        String type = EventTypes.worker(before, after);
        append(new Line(index, () -> {
            ObjectNode payload = Json.MAPPER.valueToTree(after);
            payload.remove(List.of("session", "secretHash"));   // the worker's secrets stay in the managers
            return new Event(index, Event.WORKER, type, after.id(), payload);
        }));
    }

    @Override
    public void managerChanged(long index, String managerId, ManagerInfo before, ManagerInfo after) {
        append(new Line(index, () -> {
            JsonNode payload = Json.MAPPER.valueToTree(after == null ? Map.of("id", managerId) : after);
            return new Event(index, Event.MANAGER, after == null ? "manager-removed" : "manager-added", managerId,
                    payload);
        }));
    }

    @Override
    public void workerRemoved(long index, Worker worker) {
        append(new Line(index, () -> new Event(index, Event.WORKER, "worker-removed", worker.id(),
                Json.MAPPER.createObjectNode().put("id", worker.id()).put("name", worker.name()))));
    }

    @Override
    public void leaderElected(long index, String managerId, long term, java.time.Instant at) {
        append(new Line(index, () -> new Event(index, Event.MANAGER, "leader-elected", managerId,
                Json.MAPPER.createObjectNode().put("id", managerId).put("term", term)
                        .set("at", Json.MAPPER.valueToTree(at)))));
    }

    /** Events up to the snapshot's index were never seen here: a subscriber asking for them learns so. */
    @Override
    public synchronized void restored(long index) {
        ring.clear();
        coveredAfter = Math.max(coveredAfter, index);
        lastIndex = Math.max(lastIndex, index);
    }

    private synchronized void append(Line line) {
        if (ring.size() == capacity) {
            coveredAfter = Math.max(coveredAfter, ring.removeFirst().index);
        }
        ring.addLast(line);
        lastIndex = Math.max(lastIndex, line.index);
        for (Subscriber s : subscribers) {
            s.onEvent(line.index, line.bytes());
        }
    }
}
