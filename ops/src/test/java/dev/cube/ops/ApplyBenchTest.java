package dev.cube.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ApplyBenchTest {
    @Test
    void runsEveryTaskAndPrintsItsFiguresLast() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = new ApplyBench(new ApplyBench.Options(7, 2_000, 2, 300, 450),
                new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
        String[] lines = bytes.toString(StandardCharsets.UTF_8).strip().split("\n");

        assertEquals(0, exit, String.join("\n", lines));
        assertEquals(3, lines.length, "a line per round, then the JSON line");
        JsonNode figures = new ObjectMapper().readTree(lines[2]);
        assertEquals(2_000, figures.get("tasks").asInt());
        assertEquals(2, figures.get("round").asInt());
        // 7 registrations, 7 submissions of up to 300, 5 passes of up to 450 and 7 reports after each
        assertEquals(7 + 7 + 5 + 5 * 7, figures.get("entries").asInt());
    }
}
