package dev.cube.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads request bodies into Jackson trees with tight limits (nesting depth 32, duplicate keys
 * refused, nothing after the value), so every flaw becomes a {@link ValidationException}.
 */
public final class JsonBody {
    static final int MAX_NESTING_DEPTH = 32;

    private static final ObjectMapper READER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(MAX_NESTING_DEPTH)
                            .maxStringLength(1 << 20)
                            .build())
                    .build())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonBody() {}

    /** The body as a JSON object; anything else (empty, malformed, an array) is refused. */
    public static ObjectNode parseObject(byte[] body) {
        JsonNode tree = parseObjectOrArray(body);
        if (!(tree instanceof ObjectNode object)) {
            throw new ValidationException(null, "request body must be a JSON object, not " + JsonFields.kind(tree));
        }
        return object;
    }

    /** The body as a JSON object or array; anything else (empty, malformed, a number) is refused. */
    public static JsonNode parseObjectOrArray(byte[] body) {
        JsonNode tree;
        try {
            tree = READER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ValidationException(null, "request body is not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw new ValidationException(null, "request body could not be read: " + e.getMessage());
        }
        if (tree == null || tree.isMissingNode()) {
            throw new ValidationException(null, "request body is empty: a JSON object is required");
        }
        if (!tree.isObject() && !tree.isArray()) {
            throw new ValidationException(null, "request body must be a JSON object, not " + JsonFields.kind(tree));
        }
        return tree;
    }

    private static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        message = newline < 0 ? message : message.substring(0, newline);
        JsonLocation at = e.getLocation();
        return at == null ? message : message + " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
