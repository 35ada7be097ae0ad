package dev.cube.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InstantTextTest {

    @Test
    void writesWhatInstantToStringWrites() {
        List<Instant> edges = List.of(Instant.EPOCH, Instant.parse("2026-12-03T16:30:29.257Z"),
                Instant.parse("2024-02-29T23:59:59.999999999Z"), Instant.parse("2000-01-01T00:00:00.000001Z"),
                Instant.parse("9999-12-31T23:59:59.120Z"), Instant.parse("1969-12-31T23:59:59Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.ofEpochSecond(1, 100));
        for (Instant t : edges) {
            assertEquals("\"" + t + "\"", new String(Json.bytes(t)), "as JSON: " + t);
        }
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant t = Instant.ofEpochSecond(random.nextLong(253_402_300_800L), nano);
            char[] out = new char[30];
            assertEquals(t.toString(), new String(out, 0, InstantText.format(t, out)));
        }
    }
}
