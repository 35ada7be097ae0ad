package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogBudgetTest {
    @Test
    void admitsTheFirstLinesOfAMinutePerSource() {
        LogBudget budget = new LogBudget(3);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, budget.admit("w1"));
        }
        assertEquals(-1, budget.admit("w1"));
        assertEquals(-1, budget.admit("w1"));
        assertEquals(0, budget.admit("w2"), "each source has its own budget");
    }
}
