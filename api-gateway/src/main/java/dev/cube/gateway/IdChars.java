package dev.cube.gateway;

/**
 * Whether a string is a name or id as the API takes them: 1 to {@code maxLength} characters of
 * A-Z, a-z, 0-9, '.', '_' and '-'. Checked on every worker call and every reported task, so by a
 * loop over the characters rather than a regular expression (a matcher per check).
 */
final class IdChars {
    private IdChars() {}

    static boolean isId(String value, int maxLength) {
        int length = value.length();
        if (length == 0 || length > maxLength) return false;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            if (!ok) return false;
        }
        return true;
    }
}
