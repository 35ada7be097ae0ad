package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.PortMapping;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One item of a task's {@code ports}: {@code "HOST:CONTAINER"}, {@code "HOST:CONTAINER/udp"},
 * {@code "CONTAINER"} or the integer CONTAINER. Host port 0 (or none) lets Docker pick one.
 */
final class PortMappingParser {
    private static final Pattern PORT = Pattern.compile("(?:(\\d{1,5}):)?(\\d{1,5})(?:/([a-z]+))?");

    private PortMappingParser() {}

    static PortMapping parse(JsonNode item, String field) {
        if (item.isIntegralNumber()) {
            if (!item.canConvertToInt()) {
                throw invalid(field, item.asText());
            }
            return new PortMapping(0, containerPort(item.intValue(), field), "tcp");
        }
        if (!item.isTextual()) {
            throw new ValidationException(field, field + " must be a string like \"8080:80\" or a container port number, not "
                    + JsonFields.kind(item));
        }
        String text = item.textValue();
        Matcher m = PORT.matcher(text.strip());
        if (!m.matches()) {
            throw invalid(field, text);
        }
        int hostPort = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        if (hostPort > 65535) {
            throw new ValidationException(field, field + " host port " + hostPort + " is not between 1 and 65535");
        }
        int containerPort = containerPort(Integer.parseInt(m.group(2)), field);
        String protocol = m.group(3) == null ? "tcp" : m.group(3);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new ValidationException(field, field + " protocol must be tcp or udp, not '" + protocol + "'");
        }
        return new PortMapping(hostPort, containerPort, protocol);
    }

    private static int containerPort(int port, String field) {
        if (port < 1 || port > 65535) {
            throw new ValidationException(field, field + " container port " + port + " is not between 1 and 65535");
        }
        return port;
    }

    private static ValidationException invalid(String field, String text) {
        return new ValidationException(field, field + " '" + JsonFields.abbreviate(text)
                + "' is not a port mapping: write \"HOST:CONTAINER\", \"HOST:CONTAINER/udp\" or \"CONTAINER\"");
    }
}
