package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.Constraint;
import dev.cube.model.PortMapping;
import dev.cube.model.TaskSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the body of {@code POST /tasks} into a {@link TaskSpec}, or refuses it with a
 * {@link ValidationException} that names the field at fault ({@code name}, {@code command[2]},
 * {@code env.FOO}, {@code ports[0]}, {@code labels.x}, {@code restart.delay}, {@code volumes[0].source}).
 * Checks field by field on the JSON tree, so each message can say exactly what is wrong.
 */
public final class TaskSpecParser {
    public static final double DEFAULT_CPUS = 0.1;
    public static final long DEFAULT_MEMORY = 128L << 20;
    /** Docker refuses a memory limit below 6 MiB. */
    public static final long MIN_MEMORY = 6L << 20;
    public static final long MAX_MEMORY = 1L << 40;
    static final double MAX_CPUS = 1024;
    /** Docker refuses a smaller CPU quota (cpu.cfs_quota_us: invalid argument). */
    static final double MIN_CPUS = 0.01;
    static final int MAX_COMMAND_ITEMS = 256;
    static final int MAX_COMMAND_ITEM_CHARS = 4096;
    static final int MAX_ENV_ENTRIES = 256;
    static final int MAX_ENV_VALUE_BYTES = 32 * 1024;
    static final int MAX_LABELS = 64;
    static final int MAX_LABEL_KEY_CHARS = 128;
    static final int MAX_LABEL_VALUE_BYTES = 4096;
    static final int MAX_PORTS = 256;
    static final int MAX_IMAGE_CHARS = 255;
    static final int MAX_CONSTRAINTS = 64;

    private static final Set<String> FIELDS =
            Set.of("name", "image", "command", "env", "cpus", "memory", "ports", "labels", "constraints", "restart",
                    "volumes");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IMAGE = imagePattern();

    private TaskSpecParser() {}

    public static TaskSpec parse(byte[] body) {
        return parse(body, TaskDefaults.BUILT_IN);
    }

    /** {@code defaults} fill in the CPU and memory limits a spec leaves out. */
    public static TaskSpec parse(byte[] body, TaskDefaults defaults) {
        return parse(JsonBody.parseObject(body), defaults);
    }

    public static TaskSpec parse(ObjectNode spec) {
        return parse(spec, TaskDefaults.BUILT_IN);
    }

    public static TaskSpec parse(ObjectNode spec, TaskDefaults defaults) {
        JsonFields.refuseUnknownFields(spec, FIELDS);
        return new TaskSpec(
                name(spec),
                image(spec),
                command(JsonFields.optional(spec, "command")),
                env(JsonFields.optional(spec, "env")),
                cpus(JsonFields.optional(spec, "cpus"), defaults.cpus()),
                memory(JsonFields.optional(spec, "memory"), defaults.memoryBytes()),
                ports(JsonFields.optional(spec, "ports")),
                labels(JsonFields.optional(spec, "labels")),
                constraints(JsonFields.optional(spec, "constraints")),
                RestartPolicyParser.parse(JsonFields.optional(spec, "restart")),
                VolumeParser.parse(JsonFields.optional(spec, "volumes")));
    }

    private static String name(ObjectNode spec) {
        String name = JsonFields.requiredString(spec, "name");
        if (!DNS_LABEL.matcher(name).matches()) {
            throw new ValidationException("name", "name '" + JsonFields.abbreviate(name) + "' must be 1 to 63 "
                    + "characters of a-z, 0-9 and '-', starting and ending with a letter or digit");
        }
        return name;
    }

    private static String image(ObjectNode spec) {
        String image = JsonFields.requiredString(spec, "image");
        if (image.isEmpty()) {
            throw new ValidationException("image", "image must not be empty");
        }
        if (image.length() > MAX_IMAGE_CHARS) {
            throw new ValidationException("image", "image is longer than " + MAX_IMAGE_CHARS + " characters");
        }
        if (!IMAGE.matcher(image).matches()) {
            throw new ValidationException("image", "image '" + JsonFields.abbreviate(image) + "' is not a Docker "
                    + "image reference like 'nginx:1.27' or 'registry:5000/team/app:tag' (the path is lower case)");
        }
        return image;
    }

    private static List<String> command(JsonNode value) {
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new ValidationException("command", "command must be an array of strings, not " + JsonFields.kind(value));
        }
        if (value.size() > MAX_COMMAND_ITEMS) {
            throw new ValidationException("command", "command has " + value.size() + " items; at most "
                    + MAX_COMMAND_ITEMS + " are allowed");
        }
        List<String> command = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String field = "command[" + i + "]";
            String item = JsonFields.string(value.get(i), field);
            if (item.length() > MAX_COMMAND_ITEM_CHARS) {
                throw new ValidationException(field, field + " is longer than " + MAX_COMMAND_ITEM_CHARS + " characters");
            }
            command.add(item);
        }
        return command;
    }

    private static Map<String, String> env(JsonNode value) {
        return value == null ? Map.of() : JsonFields.stringMap(value, "env", MAX_ENV_ENTRIES, Integer.MAX_VALUE,
                MAX_ENV_VALUE_BYTES, key -> ENV_KEY.matcher(key).matches(),
                "a variable name is a letter or '_' followed by letters, digits or '_'");
    }

    private static double cpus(JsonNode value, double defaultCpus) {
        if (value == null) {
            return defaultCpus;
        }
        if (!value.isNumber()) {
            throw new ValidationException("cpus", "cpus must be a number of cores like 0.5, not " + JsonFields.kind(value));
        }
        double cpus = value.doubleValue();
        if (!(cpus >= MIN_CPUS && cpus <= MAX_CPUS)) {
            throw new ValidationException("cpus", "cpus must be at least " + MIN_CPUS + " and at most " + (int) MAX_CPUS
                    + ", not " + value.asText());
        }
        return cpus;
    }

    private static long memory(JsonNode value, long defaultMemory) {
        if (value == null) {
            return defaultMemory;
        }
        long bytes;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            bytes = value.longValue();
        } else if (value.isTextual()) {
            try {
                bytes = ByteSize.parse(value.textValue());
            } catch (IllegalArgumentException e) {
                throw new ValidationException("memory", "memory " + e.getMessage());
            }
        } else {
            throw new ValidationException("memory", "memory must be a whole number of bytes or a size like \"256m\", not "
                    + JsonFields.kind(value) + (value.isNumber() ? " " + value.asText() : ""));
        }
        if (bytes < MIN_MEMORY || bytes > MAX_MEMORY) {
            throw new ValidationException("memory", "memory must be between " + ByteSize.format(MIN_MEMORY)
                    + " and 1 TiB, not " + ByteSize.format(bytes));
        }
        return bytes;
    }

    private static List<PortMapping> ports(JsonNode value) {
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new ValidationException("ports", "ports must be an array, not " + JsonFields.kind(value));
        }
        if (value.size() > MAX_PORTS) {
            throw new ValidationException("ports", "ports has " + value.size() + " items; at most " + MAX_PORTS
                    + " are allowed");
        }
        List<PortMapping> ports = new ArrayList<>();
        Set<String> hostPorts = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
            String field = "ports[" + i + "]";
            PortMapping port = PortMappingParser.parse(value.get(i), field);
            if (port.hostPort() != 0 && !hostPorts.add(port.hostPort() + "/" + port.protocol())) {
                throw new ValidationException(field, field + " publishes host port " + port.hostPort() + "/"
                        + port.protocol() + " a second time");
            }
            ports.add(port);
        }
        return ports;
    }

    private static Map<String, String> labels(JsonNode value) {
        return value == null ? Map.of() : JsonFields.stringMap(value, "labels", MAX_LABELS, MAX_LABEL_KEY_CHARS,
                MAX_LABEL_VALUE_BYTES, key -> !key.isBlank(),
                "a label key is 1 to " + MAX_LABEL_KEY_CHARS + " characters");
    }

    /** {@code ["zone==a", "disk!=hdd"]}: conditions on worker labels, each checked here so the log holds only valid ones. */
    private static List<String> constraints(JsonNode value) {
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new ValidationException("constraints", "constraints must be an array of strings like \"zone==a\", not "
                    + JsonFields.kind(value));
        }
        if (value.size() > MAX_CONSTRAINTS) {
            throw new ValidationException("constraints", "constraints has " + value.size() + " items; at most "
                    + MAX_CONSTRAINTS + " are allowed");
        }
        List<String> constraints = new ArrayList<>();
        for (int i = 0; i < value.size(); i++) {
            String field = "constraints[" + i + "]";
            String text = JsonFields.string(value.get(i), field);
            try {
                constraints.add(Constraint.parse(text).toString());
            } catch (IllegalArgumentException e) {
                throw new ValidationException(field, field + " " + e.getMessage());
            }
        }
        return constraints;
    }

    /** Docker's reference grammar: {@code [registry[:port]/]path[:tag][@sha256:digest]}. */
    private static Pattern imagePattern() {
        String domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        String domain = domainComponent + "(?:\\." + domainComponent + ")*(?::[0-9]{1,5})?";
        String pathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        String name = "(?:" + domain + "/)?" + pathComponent + "(?:/" + pathComponent + ")*";
        String tag = "[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}";
        return Pattern.compile(name + "(?::" + tag + ")?(?:@sha256:[a-f0-9]{64})?");
    }
}
