package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.TaskSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The two bulk forms of {@code POST /tasks}: a JSON array of task specs, and one spec with
 * {@code "count": N} for N replicas named {@code <name>-1 .. <name>-N} (Swarm's replicas, Nomad's
 * group count). A fault in the array names its element: {@code [3].memory}.
 */
final class TaskBatchParser {
    /** Replicas per call: one Raft entry creates them all on every manager, so the apply stays short. */
    static final int MAX_REPLICAS = 100_000;
    static final int MAX_NAME_CHARS = 63;

    /** A spec and how many replicas of it. */
    record Replicas(TaskSpec spec, int count) {}

    private TaskBatchParser() {}

    static List<TaskSpec> parseArray(ArrayNode array, TaskDefaults defaults) {
        if (array.isEmpty()) {
            throw new ValidationException(null, "the array of tasks is empty: give at least one task");
        }
        List<TaskSpec> specs = new ArrayList<>(array.size());
        Map<String, Integer> names = new HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "[" + i + "]";
            if (!(array.get(i) instanceof ObjectNode element)) {
                throw new ValidationException(at, at + " must be a task object, not " + JsonFields.kind(array.get(i)));
            }
            if (element.has("count")) {
                throw new ValidationException(at + ".count", at + ".count: replicas are submitted one spec per call");
            }
            TaskSpec spec;
            try {
                spec = TaskSpecParser.parse(element, defaults);
            } catch (ValidationException e) {
                throw new ValidationException(e.field() == null ? at : at + "." + e.field(), at + ": " + e.getMessage());
            }
            Integer earlier = names.putIfAbsent(spec.name(), i);
            if (earlier != null) {
                throw new ValidationException(at + ".name", at + ".name '" + spec.name() + "' is given twice (also at ["
                        + earlier + "])");
            }
            specs.add(spec);
        }
        return specs;
    }

    static Replicas parseReplicas(ObjectNode object, TaskDefaults defaults) {
        JsonNode count = object.get("count");
        if (count == null || !count.isIntegralNumber() || !count.canConvertToInt()
                || count.intValue() < 1 || count.intValue() > MAX_REPLICAS) {
            throw new ValidationException("count", "count must be a whole number from 1 to " + MAX_REPLICAS);
        }
        ObjectNode spec = object.deepCopy();
        spec.remove("count");
        TaskSpec parsed = TaskSpecParser.parse(spec, defaults);
        String longest = parsed.name() + "-" + count.intValue();
        if (longest.length() > MAX_NAME_CHARS) {
            throw new ValidationException("name", "name '" + parsed.name() + "' is too long for " + count.intValue()
                    + " replicas: '" + longest + "' exceeds " + MAX_NAME_CHARS + " characters");
        }
        return new Replicas(parsed, count.intValue());
    }
}
