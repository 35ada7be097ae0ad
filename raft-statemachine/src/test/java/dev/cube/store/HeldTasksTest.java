package dev.cube.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeldTasksTest {

    @Test
    void changesInVersionOrderAreReadOldestFirst() {
        HeldTasks held = new HeldTasks();
        held.put("a", 1);
        held.put("b", 2);
        held.put("c", 3);
        held.put("a", 4);
        assertEquals(List.of("b", "c", "a"), held.changedAfter(1));
        assertEquals(List.of("a"), held.changedAfter(3));
        assertEquals(List.of(), held.changedAfter(4));
        assertEquals(List.of("a", "b", "c"), held.ids(), "placement order is kept");
    }

    @Test
    void tasksPutOutOfOrderAsByARestoreAreSortedByVersion() {
        HeldTasks held = new HeldTasks();
        held.put("late", 9);
        held.put("early", 2);
        held.put("middle", 5);
        assertEquals(List.of("middle", "late"), held.changedAfter(2));
        held.put("early", 10);
        assertEquals(List.of("middle", "late", "early"), held.changedAfter(4));
    }

    @Test
    void removedTasksAreGone() {
        HeldTasks held = new HeldTasks();
        held.put("a", 1);
        held.put("b", 2);
        held.remove("a");
        assertEquals(List.of("b"), held.changedAfter(0));
        held.remove("b");
        assertTrue(held.isEmpty());
    }
}
