package dev.cube.gateway;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people write them: {@code "1024"}, {@code "512k"}, {@code "256m"}, {@code "1g"},
 * {@code "64MB"}, {@code "256Mi"}, {@code "1Gi"}. Units are case-insensitive and all powers of
 * 1024 (as Docker reads them): b, k, m, g, kb, mb, gb, ki, mi, gi.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([a-z]{0,2})");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", 1L << 10), Map.entry("kb", 1L << 10), Map.entry("ki", 1L << 10),
            Map.entry("m", 1L << 20), Map.entry("mb", 1L << 20), Map.entry("mi", 1L << 20),
            Map.entry("g", 1L << 30), Map.entry("gb", 1L << 30), Map.entry("gi", 1L << 30));

    private ByteSize() {}

    /** The number of bytes {@code text} stands for. */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches() || !UNITS.containsKey(m.group(2))) {
            throw new IllegalArgumentException("'" + JsonFields.abbreviate(text)
                    + "' is not a size: write bytes or a number with a unit b, k, m, g (or kb, mb, gb, ki, mi, gi)");
        }
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), UNITS.get(m.group(2)));
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    /** A short human form: "128 MiB", "1 GiB", "1000 bytes". */
    public static String format(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return bytes / (1L << 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return bytes / (1L << 10) + " KiB";
        }
        return bytes + " bytes";
    }
}
