package dev.cube.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.ManagerInfo;
import java.util.Set;
import java.util.regex.Pattern;

/** Parses the body of {@code POST /managers}: {@code {"id", "raft": "host:port", "api": "host:port"}}. */
final class ManagerBodies {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9.-]{1,253}:(\\d{1,5})");

    private ManagerBodies() {}

    static ManagerInfo manager(byte[] body) {
        ObjectNode json = JsonBody.parseObject(body);
        JsonFields.refuseUnknownFields(json, Set.of("id", "raft", "api"));
        String id = JsonFields.requiredString(json, "id");
        if (!ID.matcher(id).matches()) {
            throw new ValidationException("id", "id must be 1 to 63 letters, digits, '-' or '_', starting with a letter or digit");
        }
        return new ManagerInfo(id, address(json, "raft"), address(json, "api"));
    }

    private static String address(ObjectNode json, String field) {
        String value = JsonFields.requiredString(json, field);
        var m = HOST_PORT.matcher(value);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(1)) > 65535) {
            throw new ValidationException(field, field + " must be host:port with a port from 1 to 65535");
        }
        return value;
    }
}
