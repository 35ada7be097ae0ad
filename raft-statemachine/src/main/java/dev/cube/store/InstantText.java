package dev.cube.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an {@link Instant} as {@link Instant#toString()} does (ISO-8601 in UTC, the fraction in
 * groups of three digits as needed), without a {@link java.time.format.DateTimeFormatter}: every
 * task carries several times, and formatting them took a fifth of serializing a worker's assignments.
 * Times before 1970 or after 9999 take {@code toString()}.
 */
final class InstantText extends StdSerializer<Instant> {
    private static final long FIRST_SECOND_OF_10000 = 253_402_300_800L;

    InstantText() {
        super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        char[] text = new char[30];
        int length = format(value, text);
        if (length < 0) gen.writeString(value.toString()); else gen.writeString(text, 0, length);
    }

    /** Writes {@code t} into {@code out} (30 chars at least) and returns the length, or -1 outside 1970-9999. */
    static int format(Instant t, char[] out) {
        long seconds = t.getEpochSecond();
        if (seconds < 0 || seconds >= FIRST_SECOND_OF_10000) return -1;
        LocalDate date = LocalDate.ofEpochDay(seconds / 86_400);
        int secondOfDay = (int) (seconds % 86_400);
        int at = digits(out, 0, date.getYear(), 4);
        out[at++] = '-';
        at = digits(out, at, date.getMonthValue(), 2);
        out[at++] = '-';
        at = digits(out, at, date.getDayOfMonth(), 2);
        out[at++] = 'T';
        at = digits(out, at, secondOfDay / 3600, 2);
        out[at++] = ':';
        at = digits(out, at, secondOfDay / 60 % 60, 2);
        out[at++] = ':';
        at = digits(out, at, secondOfDay % 60, 2);
        int nano = t.getNano();
        if (nano > 0) {
            out[at++] = '.';
            if (nano % 1_000_000 == 0) {
                at = digits(out, at, nano / 1_000_000, 3);
            } else if (nano % 1_000 == 0) {
                at = digits(out, at, nano / 1_000, 6);
            } else {
                at = digits(out, at, nano, 9);
            }
        }
        out[at++] = 'Z';
        return at;
    }

    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
