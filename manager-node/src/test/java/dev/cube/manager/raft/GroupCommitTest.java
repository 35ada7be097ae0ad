package dev.cube.manager.raft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.model.TaskSpec;
import dev.cube.store.Command;
import dev.cube.store.Json;
import dev.cube.store.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Group commit against a fake log whose entries complete when the test says so. */
class GroupCommitTest {
    private record Sent(Command entry, CompletableFuture<Outcome> reply) {}

    private final List<Sent> sent = new ArrayList<>();
    private final GroupCommit commit = new GroupCommit(entry -> {
        CompletableFuture<Outcome> reply = new CompletableFuture<>();
        sent.add(new Sent(entry, reply));
        return reply;
    }, 1, 100);

    private static Command submit(String name) {
        return new Command.SubmitTask("id-" + name,
                new TaskSpec(name, "img", List.of(), Map.of(), 0.1, 1 << 24, List.of(), Map.of()), Instant.now());
    }

    private static Outcome ok(String name) {
        return new Outcome.Accepted(Json.MAPPER.createObjectNode().put("name", name));
    }

    @Test
    void aLoneWriteLeavesAtOnceAsItself() throws Exception {
        Command a = submit("a");
        CompletableFuture<Outcome> outcome = commit.submit(a);
        assertEquals(1, sent.size());
        assertSame(a, sent.getFirst().entry());
        sent.getFirst().reply().complete(ok("a"));
        assertEquals(ok("a"), outcome.get());
    }

    @Test
    void writesArrivingWhileAnEntryIsInFlightShareTheNextEntry() throws Exception {
        CompletableFuture<Outcome> a = commit.submit(submit("a"));
        CompletableFuture<Outcome> b = commit.submit(submit("b"));
        CompletableFuture<Outcome> c = commit.submit(submit("c"));
        assertEquals(1, sent.size(), "b and c wait for the slot");

        sent.get(0).reply().complete(ok("a"));
        assertEquals(2, sent.size());
        Command.Batch batch = assertInstanceOf(Command.Batch.class, sent.get(1).entry());
        assertEquals(List.of(submit("b").getClass(), submit("c").getClass()),
                batch.commands().stream().map(Object::getClass).toList());
        sent.get(1).reply().complete(new Outcome.Batch(List.of(ok("b"), ok("c"))));

        assertEquals(ok("a"), a.get());
        assertEquals(ok("b"), b.get());
        assertEquals(ok("c"), c.get());
    }

    @Test
    void aWriteWhoseCallerGaveUpIsNeverSent() throws Exception {
        commit.submit(submit("a"));
        CompletableFuture<Outcome> b = commit.submit(submit("b"));
        CompletableFuture<Outcome> c = commit.submit(submit("c"));
        b.cancel(false);
        sent.get(0).reply().complete(ok("a"));
        assertEquals(2, sent.size());
        assertInstanceOf(Command.SubmitTask.class, sent.get(1).entry(), "only c leaves, alone");
        sent.get(1).reply().complete(ok("c"));
        assertEquals(ok("c"), c.get());
    }

    @Test
    void aFailedEntryFailsEveryWriteInIt() {
        commit.submit(submit("a"));
        CompletableFuture<Outcome> b = commit.submit(submit("b"));
        CompletableFuture<Outcome> c = commit.submit(submit("c"));
        sent.get(0).reply().complete(ok("a"));
        sent.get(1).reply().completeExceptionally(new IllegalStateException("no leader"));
        assertTrue(b.isCompletedExceptionally());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, c::get);
        assertEquals("no leader", e.getCause().getMessage());
    }
}
