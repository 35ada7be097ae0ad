package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.VolumeMount;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A task's {@code volumes}: {@code [{"source": "web/data", "target": "/data", "readOnly": false}]}.
 * {@code source} is a folder relative to the workers' shared storage, so it must stay inside it:
 * relative, segments of letters, digits, '.', '_' and '-', none of them "." or "..". {@code target}
 * is an absolute path in the container, not "/" itself.
 */
final class VolumeParser {
    static final int MAX_VOLUMES = 32;
    static final int MAX_PATH_CHARS = 1024;
    private static final Set<String> FIELDS = Set.of("source", "target", "readOnly");
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern TARGET_SEGMENT = Pattern.compile("[^/:,\\x00-\\x1f]+");

    private VolumeParser() {}

    static List<VolumeMount> parse(JsonNode value) {
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new ValidationException("volumes", "volumes must be an array, not " + JsonFields.kind(value));
        }
        if (value.size() > MAX_VOLUMES) {
            throw new ValidationException("volumes", "volumes has " + value.size() + " items; at most "
                    + MAX_VOLUMES + " are allowed");
        }
        List<VolumeMount> volumes = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            String field = "volumes[" + i + "]";
            VolumeMount volume = volume(value.get(i), field);
            if (!targets.add(volume.target())) {
                throw new ValidationException(field + ".target", field + ".target '" + volume.target()
                        + "' is mounted a second time");
            }
            volumes.add(volume);
        }
        return volumes;
    }

    private static VolumeMount volume(JsonNode item, String field) {
        if (!(item instanceof ObjectNode volume)) {
            throw new ValidationException(field, field + " must be an object like {\"source\": \"web/data\", "
                    + "\"target\": \"/data\"}, not " + JsonFields.kind(item));
        }
        for (String name : (Iterable<String>) volume::fieldNames) {
            if (!FIELDS.contains(name)) {
                throw new ValidationException(field + "." + name, "unknown field '" + field + "." + name + "'");
            }
        }
        JsonNode readOnly = JsonFields.optional(volume, "readOnly");
        if (readOnly != null && !readOnly.isBoolean()) {
            throw new ValidationException(field + ".readOnly", field + ".readOnly must be true or false, not "
                    + JsonFields.kind(readOnly));
        }
        return new VolumeMount(source(volume, field + ".source"), target(volume, field + ".target"),
                readOnly != null && readOnly.booleanValue());
    }

    private static String source(ObjectNode volume, String field) {
        String source = required(volume, "source", field);
        String why = null;
        if (source.isEmpty()) {
            why = "must not be empty";
        } else if (source.startsWith("/")) {
            why = "must be relative to the shared storage, not an absolute path";
        } else {
            for (String segment : source.split("/", -1)) {
                if (segment.equals("..") || segment.equals(".")) {
                    why = "must not contain '" + segment + "': it has to stay inside the shared storage";
                    break;
                }
                if (!SEGMENT.matcher(segment).matches()) {
                    why = "must be folder names of letters, digits, '.', '_' and '-' separated by single '/'";
                    break;
                }
            }
        }
        if (why != null) {
            throw new ValidationException(field, field + " '" + JsonFields.abbreviate(source) + "' " + why);
        }
        return source;
    }

    private static String target(ObjectNode volume, String field) {
        String target = required(volume, "target", field);
        String why = null;
        if (!target.startsWith("/")) {
            why = "must be an absolute path in the container, like /data";
        } else if (target.equals("/")) {
            why = "must not be the container's root";
        } else {
            for (String segment : target.substring(1).split("/", -1)) {
                if (segment.equals("..") || segment.equals(".") || !TARGET_SEGMENT.matcher(segment).matches()) {
                    why = "must be a plain absolute path: no '.', '..' or empty segments, no ':' or ','";
                    break;
                }
            }
        }
        if (why != null) {
            throw new ValidationException(field, field + " '" + JsonFields.abbreviate(target) + "' " + why);
        }
        return target;
    }

    private static String required(ObjectNode volume, String name, String field) {
        JsonNode value = JsonFields.optional(volume, name);
        if (value == null) {
            throw new ValidationException(field, field + " is required");
        }
        String text = JsonFields.string(value, field);
        if (text.length() > MAX_PATH_CHARS) {
            throw new ValidationException(field, field + " is longer than " + MAX_PATH_CHARS + " characters");
        }
        return text;
    }
}
