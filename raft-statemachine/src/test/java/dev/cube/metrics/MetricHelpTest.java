package dev.cube.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MetricHelpTest {
    private final MetricHelp help = new MetricHelp();

    @Test
    void exactNamesWinOverPrefixes() {
        assertEquals("Tasks whose worker was lost", help.text("cube.tasks.state.lost"));
        assertEquals("Tasks in this state", help.text("cube.tasks.state.running"));
        assertNull(help.text("cube.other"));
    }

    @Test
    void generatedLinesAreReplacedAndOthersKept() {
        String text = """
                # HELP cube_tasks_state_running Generated from Dropwizard metric import (metric=cube.tasks.state.running, type=a.B$$Lambda/0x1)
                # TYPE cube_tasks_state_running gauge
                cube_tasks_state_running 3.0
                # HELP cube_x Generated from Dropwizard metric import (metric=cube.x, type=com.codahale.metrics.Counter)
                # HELP cube_api_requests HTTP requests
                """;
        assertEquals("""
                # HELP cube_tasks_state_running Tasks in this state
                # TYPE cube_tasks_state_running gauge
                cube_tasks_state_running 3.0
                # HELP cube_x Cube metric cube.x
                # HELP cube_api_requests HTTP requests
                """, help.rewrite(text));
    }
}
