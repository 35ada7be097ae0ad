package dev.cube.manager.leader;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.manager.raft.RaftNode;
import dev.cube.manager.scheduler.Scheduler;
import dev.cube.store.Command.PlaceTasks;
import dev.cube.store.Command.Placement;
import dev.cube.store.CubeStateMachine;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The largest pass the loop can write is one entry Ratis accepts. */
class SchedulerLoopEntryTest {

    @Test
    void theLargestPassFitsInOneEntry() {
        String longestWorkerId = "w".repeat(128);
        List<Placement> placements = new ArrayList<>();
        for (int i = 0; i < SchedulerLoop.MAX_TASKS_PER_PASS; i++) {
            placements.add(new Placement(UUID.randomUUID().toString(), longestWorkerId, Long.MAX_VALUE));
        }
        String worstReason = "\u0001".repeat(Scheduler.MAX_REASON_CHARS);   // JSON writes each as \u0001
        Map<String, String> reasons = new HashMap<>();
        for (int i = 0; i < SchedulerLoop.MAX_REASONS_PER_PASS; i++) {
            reasons.put(UUID.randomUUID().toString(), worstReason);
        }
        int bytes = CubeStateMachine.encode(new PlaceTasks(placements, reasons, Instant.now())).getContent().size();
        assertTrue(bytes > 16 << 20, "the worst case is large: " + bytes);
        assertTrue(bytes + 1024 < RaftNode.MAX_ENTRY_BYTES, bytes + " bytes must fit in " + RaftNode.MAX_ENTRY_BYTES);
    }
}
