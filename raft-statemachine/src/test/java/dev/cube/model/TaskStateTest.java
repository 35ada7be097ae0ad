package dev.cube.model;

import static dev.cube.model.TaskState.COMPLETED;
import static dev.cube.model.TaskState.FAILED;
import static dev.cube.model.TaskState.LOST;
import static dev.cube.model.TaskState.PENDING;
import static dev.cube.model.TaskState.RUNNING;
import static dev.cube.model.TaskState.SCHEDULED;
import static dev.cube.model.TaskState.STOPPED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cube.store.Json;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class TaskStateTest {

    /** The whole legal transition table; every pair not listed here must be refused. */
    private static final Map<TaskState, Set<TaskState>> ALLOWED = Map.of(
            PENDING, EnumSet.of(SCHEDULED, STOPPED),
            SCHEDULED, EnumSet.of(RUNNING, COMPLETED, FAILED, STOPPED, LOST),
            RUNNING, EnumSet.of(COMPLETED, FAILED, STOPPED, LOST),
            COMPLETED, EnumSet.noneOf(TaskState.class),
            FAILED, EnumSet.noneOf(TaskState.class),
            STOPPED, EnumSet.noneOf(TaskState.class),
            LOST, EnumSet.noneOf(TaskState.class));

    static Stream<Arguments> everyPair() {
        List<Arguments> pairs = new ArrayList<>();
        for (TaskState from : TaskState.values()) {
            for (TaskState to : TaskState.values()) {
                pairs.add(Arguments.of(from, to, ALLOWED.get(from).contains(to)));
            }
        }
        return pairs.stream();
    }

    @Test
    void tableCoversEveryState() {
        assertEquals(EnumSet.allOf(TaskState.class), ALLOWED.keySet());
        assertEquals(49, everyPair().count());
    }

    @ParameterizedTest(name = "{0} -> {1} allowed: {2}")
    @MethodSource("everyPair")
    void canMoveTo(TaskState from, TaskState to, boolean allowed) {
        assertEquals(allowed, from.canMoveTo(to));
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void stayingPutIsNotAMove(TaskState state) {
        assertEquals(false, state.canMoveTo(state));
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void terminalStatesAreExactlyTheFourEndStates(TaskState state) {
        boolean terminal = EnumSet.of(COMPLETED, FAILED, STOPPED, LOST).contains(state);
        assertEquals(terminal, state.isTerminal());
        if (terminal) {
            for (TaskState next : TaskState.values()) {
                assertEquals(false, state.canMoveTo(next), state + " -> " + next);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TaskState.class)
    void jsonIsLowerCaseAndRoundTrips(TaskState state) throws Exception {
        String lower = state.name().toLowerCase(Locale.ROOT);
        assertEquals(lower, state.json());
        String json = Json.MAPPER.writeValueAsString(state);
        assertEquals("\"" + lower + "\"", json);
        assertEquals(state, Json.MAPPER.readValue(json, TaskState.class));
        assertEquals(state, TaskState.parse(lower));
    }

    @Test
    void parseRefusesAnUnknownState() {
        assertThrows(IllegalArgumentException.class, () -> TaskState.parse("exploded"));
    }
}
