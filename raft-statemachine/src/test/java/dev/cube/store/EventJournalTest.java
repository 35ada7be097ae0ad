package dev.cube.store;

import static dev.cube.store.Fixtures.markDown;
import static dev.cube.store.Fixtures.register;
import static dev.cube.store.Fixtures.stop;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.events.EventJournal;
import dev.cube.model.ManagerInfo;
import dev.cube.model.TaskState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJournalTest {

    private static JsonNode parse(byte[] line) {
        try {
            assertEquals('\n', line[line.length - 1], "every event is one line");
            return Json.MAPPER.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The backlog a subscriber with {@code since} hears at once. */
    private static List<byte[]> backlog(EventJournal journal, long since) {
        List<byte[]> lines = new ArrayList<>();
        journal.subscribe(since, (index, line) -> lines.add(line)).cancel().run();
        return lines;
    }

    private static List<String> types(List<byte[]> lines) {
        return lines.stream().map(l -> parse(l).path("type").asText()).toList();
    }

    @Test
    void aTaskLifeIsToldInOrderWithTheIndexOfEachChange() {
        Fixtures.Driver d = new Fixtures.Driver();
        EventJournal journal = new EventJournal();
        d.store.observe(journal);
        List<byte[]> live = new ArrayList<>();
        journal.subscribe(null, (index, line) -> live.add(line));

        d.accept(register("w-1", "s-1", "hash-1"));
        d.submitted("t-1", "web");                                // 2
        d.finished("t-1", "w-1", "s-1", TaskState.COMPLETED);  // place, running, completed: 3..5

        assertEquals(List.of("worker-registered", "task-submitted", "task-scheduled", "task-running",
                "task-completed"), types(live));
        JsonNode registered = parse(live.get(0)).path("payload");
        assertEquals("w-1", registered.path("id").asText());
        assertFalse(registered.has("session") || registered.has("secretHash"), "the worker's secrets stay inside");
        JsonNode submitted = parse(live.get(1));
        assertEquals(2, submitted.path("index").asLong());
        assertEquals("task", submitted.path("topic").asText());
        assertEquals("t-1", submitted.path("key").asText());
        assertEquals("pending", submitted.path("payload").path("state").asText());
        assertTrue(submitted.path("payload").has("spec"), "the submission carries the spec");
        JsonNode running = parse(live.get(3));
        assertEquals("running", running.path("payload").path("state").asText());
        assertEquals(4, running.path("index").asLong());
        assertEquals("w-1", running.path("payload").path("workerId").asText());
        assertEquals(5, journal.lastIndex());
    }

    @Test
    void sinceResumesAfterAnIndexAndAGapIsNamed() {
        Fixtures.Driver d = new Fixtures.Driver();
        EventJournal journal = new EventJournal(3);
        d.store.observe(journal);
        d.accept(register("w-1", "s-1"));     // 1
        d.submitted("t-1", "web");            // 2
        d.scheduled("t-1", "w-1");            // 3
        d.accept(stop("web"));                // 4
        d.accept(markDown("w-1"));            // 5: the task counts as stopped, the worker is down

        assertNull(journal.subscribe(3L, (i, l) -> {}).gap());
        List<byte[]> resumed = backlog(journal, 3);
        assertEquals(List.of("task-stop-requested", "task-stopped", "worker-down"), types(resumed));
        assertEquals(List.of(4L, 5L, 5L), resumed.stream().map(l -> parse(l).path("index").asLong()).toList());

        assertEquals(List.of("task-stopped", "worker-down"), types(backlog(journal, 4)));

        EventJournal.Subscription tooOld = journal.subscribe(1L, (i, l) -> {});
        assertNotNull(tooOld.gap(), "events 2 and 3 were pushed out of the ring");
        assertEquals(3, tooOld.gap().coveredAfter());
        assertEquals(4, tooOld.gap().oldestKept());
        assertEquals(3, backlog(journal, 1).size());
    }

    @Test
    void aSinceAheadOfThisManagerSkipsWhatTheClientSawElsewhere() {
        Fixtures.Driver d = new Fixtures.Driver();
        EventJournal journal = new EventJournal();
        d.store.observe(journal);
        d.accept(register("w-1", "s-1"));     // 1
        List<byte[]> lines = new ArrayList<>();
        journal.subscribe(2L, (index, line) -> lines.add(line));
        d.submitted("t-1", "web");            // 2: seen elsewhere already
        d.scheduled("t-1", "w-1");            // 3
        assertEquals(List.of("task-scheduled"), types(lines));
    }

    @Test
    void aLeadershipIsAnEventOnlyInAnEntryOfItsTerm() {
        TaskStore store = new TaskStore();
        EventJournal journal = new EventJournal();
        store.observe(journal);
        List<byte[]> live = new ArrayList<>();
        journal.subscribe(null, (index, line) -> live.add(line));
        store.apply(3, 1, new Command.LeaderElected("m2", Fixtures.at(1), 3));
        Outcome stale = store.apply(4, 2, new Command.LeaderElected("m1", Fixtures.at(2), 3));   // deposed meanwhile
        assertEquals(Outcome.Reason.STALE, ((Outcome.Rejected) stale).reason());

        assertEquals(List.of("leader-elected"), types(live));
        JsonNode event = parse(live.getFirst());
        assertEquals("manager", event.path("topic").asText());
        assertEquals("m2", event.path("key").asText());
        assertEquals(1, event.path("index").asLong());
        assertEquals(3, event.path("payload").path("term").asLong());
        assertEquals("m2", event.path("payload").path("id").asText());
    }

    @Test
    void aRemovedWorkerIsAnEvent() {
        Fixtures.Driver d = new Fixtures.Driver();
        EventJournal journal = new EventJournal();
        d.store.observe(journal);
        List<byte[]> live = new ArrayList<>();
        journal.subscribe(null, (index, line) -> live.add(line));
        d.accept(register("w-1", "s-1"));
        d.accept(Fixtures.markDown("w-1"));
        d.accept(new Command.RemoveWorker("w-1", Fixtures.at(50)));
        assertEquals(List.of("worker-registered", "worker-down", "worker-removed"), types(live));
        assertEquals("node-w-1", parse(live.get(2)).path("payload").path("name").asText());
    }

    @Test
    void managersJoiningAndLeavingAreEvents() {
        Fixtures.Driver d = new Fixtures.Driver();
        EventJournal journal = new EventJournal();
        d.store.observe(journal);
        List<byte[]> live = new ArrayList<>();
        EventJournal.Subscription s = journal.subscribe(null, (index, line) -> live.add(line));
        d.accept(new Command.PutManager(new ManagerInfo("m4", "127.0.0.1:9873", "127.0.0.1:8083"), Fixtures.at(1)));
        d.accept(new Command.RemoveManager("m4", Fixtures.at(2)));
        assertEquals(List.of("manager-added", "manager-removed"), types(live));
        assertEquals("m4", parse(live.get(0)).path("key").asText());
        assertEquals("127.0.0.1:8083", parse(live.get(0)).path("payload").path("api").asText());

        s.cancel().run();
        d.accept(register("w-1", "s-1"));
        assertEquals(2, live.size(), "a cancelled subscription hears nothing more");
    }

    @Test
    void restoringASnapshotIsNotAChangeButMarksWhereEventsBegin() {
        Fixtures.Driver d = new Fixtures.Driver();
        d.accept(register("w-1", "s-1"));
        d.submitted("t-1", "web");
        TaskStore restored = new TaskStore();
        EventJournal journal = new EventJournal();
        restored.observe(journal);
        restored.restore(d.store.image());
        assertEquals(0, journal.size());
        EventJournal.Subscription all = journal.subscribe(0L, (i, l) -> {});
        assertEquals(2, all.gap().coveredAfter(), "events up to the snapshot were never seen here");
        restored.apply(3, stop("web"));
        assertEquals(List.of("task-stopped"), types(backlog(journal, 2)));
    }
}
