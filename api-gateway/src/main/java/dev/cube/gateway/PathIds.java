package dev.cube.gateway;

/**
 * Checks a name or id taken from the path of a write before it goes into a Raft log entry: task
 * names, task ids (UUIDs), worker and manager ids all fit {@code [A-Za-z0-9._-]{1,253}}. Anything
 * else cannot name a stored object, so it is refused here rather than written to the log and
 * refused by the store.
 */
final class PathIds {
    private PathIds() {}

    static String of(ApiRequest request, String param) {
        String value = request.param(param);
        if (!IdChars.isId(value, 253)) {
            throw new ValidationException(param, param + " '" + JsonFields.abbreviate(value) + "' is not a name or id: "
                    + "1 to 253 characters of A-Z, a-z, 0-9, '.', '_' and '-'");
        }
        return value;
    }
}
