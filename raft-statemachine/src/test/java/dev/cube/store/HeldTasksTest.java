package dev.cube.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeldTasksTest {

    @Test
    void changesInVersionOrderAreReadOldestFirst() {
        HeldTasks held = new HeldTasks();
        held.put("a", 1L);
        held.put("b", 2L);
        held.put("c", 3L);
        held.put("a", 4L);
        assertEquals(List.of("b", "c", "a"), held.changedAfter(1));
        assertEquals(List.of("a"), held.changedAfter(3));
        assertEquals(List.of(), held.changedAfter(4));
        assertEquals(List.of("b", "c", "a"), held.ids(), "oldest change first");
    }

    @Test
    void tasksPutOutOfOrderAsByARestoreAreSortedByVersion() {
        HeldTasks held = new HeldTasks();
        held.put("late", 9L);
        held.put("early", 2L);
        held.put("middle", 5L);
        assertEquals(List.of("middle", "late"), held.changedAfter(2));
        assertEquals(List.of("early", "middle", "late"), held.ids());
        held.put("early", 10L);
        assertEquals(List.of("middle", "late", "early"), held.changedAfter(4));
    }

    @Test
    void removedTasksAreGone() {
        HeldTasks held = new HeldTasks();
        held.put("a", 1L);
        held.put("b", 2L);
        held.remove("a");
        assertEquals(List.of("b"), held.changedAfter(0));
        held.remove("b");
        assertTrue(held.isEmpty());
    }
}
