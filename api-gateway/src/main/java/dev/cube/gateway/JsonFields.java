package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Typed reads of fields of a JSON object; every mistake is a {@link ValidationException} naming the field. */
final class JsonFields {

    private JsonFields() {}

    /** A field's value, or null when it is absent or JSON null. */
    static JsonNode optional(ObjectNode object, String name) {
        JsonNode value = object.get(name);
        return value == null || value.isNull() ? null : value;
    }

    static String requiredString(ObjectNode object, String name) {
        JsonNode value = optional(object, name);
        if (value == null) {
            throw new ValidationException(name, name + " is required");
        }
        return string(value, name);
    }

    static String optionalString(ObjectNode object, String name) {
        JsonNode value = optional(object, name);
        return value == null ? null : string(value, name);
    }

    static String string(JsonNode value, String field) {
        if (!value.isTextual()) {
            throw new ValidationException(field, field + " must be a string, not " + kind(value));
        }
        return value.textValue();
    }

    static void refuseUnknownFields(ObjectNode object, Set<String> known) {
        for (String name : (Iterable<String>) object::fieldNames) {
            if (!known.contains(name)) {
                throw new ValidationException(name, "unknown field '" + name + "'");
            }
        }
    }

    /** An object of strings, e.g. labels: at most {@code maxEntries}, keys checked by {@code keyRule}. */
    static Map<String, String> stringMap(JsonNode value, String field, int maxEntries, int maxKeyChars,
                                         int maxValueBytes, java.util.function.Predicate<String> keyRule,
                                         String keyRuleText) {
        if (!value.isObject()) {
            throw new ValidationException(field, field + " must be an object of strings, not " + kind(value));
        }
        if (value.size() > maxEntries) {
            throw new ValidationException(field, field + " has " + value.size() + " entries; at most "
                    + maxEntries + " are allowed");
        }
        Map<String, String> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            String key = entry.getKey();
            String keyField = field + "." + key;
            if (key.isEmpty() || key.length() > maxKeyChars || !keyRule.test(key)) {
                throw new ValidationException(keyField, field + " key '" + abbreviate(key) + "' is invalid: "
                        + keyRuleText);
            }
            String text = string(entry.getValue(), keyField);
            if (text.getBytes(StandardCharsets.UTF_8).length > maxValueBytes) {
                throw new ValidationException(keyField, keyField + " is longer than " + maxValueBytes + " bytes");
            }
            result.put(key, text);
        }
        return result;
    }

    /** How a JSON value is called in messages: "a number", "an array", ... */
    static String kind(JsonNode value) {
        return switch (value.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT, POJO -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case BINARY -> "binary data";
            case MISSING -> "nothing";
        };
    }

    static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
