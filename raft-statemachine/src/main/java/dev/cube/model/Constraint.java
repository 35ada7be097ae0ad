package dev.cube.model;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A condition on a worker's labels, written {@code key==value} or {@code key!=value} in a task's
 * {@code constraints}. {@code ==} needs the label with that value; {@code !=} is met by any other
 * value and by a worker without the label.
 */
public record Constraint(String key, boolean equal, String value) {
    public static final int MAX_KEY_CHARS = 128;
    public static final int MAX_VALUE_CHARS = 256;
    private static final Pattern SYNTAX = Pattern.compile("\\s*([^=!\\s]+)\\s*(==|!=)\\s*(\\S(?:.*\\S)?)\\s*");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._/-]*[A-Za-z0-9])?");

    /** Reads {@code key==value} or {@code key!=value}; the message of the exception says what is wrong. */
    public static Constraint parse(String text) {
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not 'key==value' or 'key!=value'");
        }
        String key = m.group(1);
        String value = m.group(3);
        if (key.length() > MAX_KEY_CHARS || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key '" + abbreviate(key) + "' must be 1 to " + MAX_KEY_CHARS
                    + " letters, digits, '.', '_', '-' or '/', starting and ending with a letter or digit");
        }
        if (value.length() > MAX_VALUE_CHARS) {
            throw new IllegalArgumentException("value of '" + key + "' is longer than " + MAX_VALUE_CHARS + " characters");
        }
        return new Constraint(key, m.group(2).equals("=="), value);
    }

    public boolean matches(Map<String, String> labels) {
        return equal == value.equals(labels.get(key));
    }

    @Override
    public String toString() {
        return key + (equal ? "==" : "!=") + value;
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
