package dev.cube.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A route path such as {@code /workers/{id}/tasks/{taskId}/status}: literal segments and
 * {@code {name}} parameters, each parameter matching exactly one non-empty decoded segment.
 */
public record PathTemplate(String text, List<String> segments) {

    public PathTemplate {
        segments = List.copyOf(segments);
    }

    public static PathTemplate of(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a path template starts with '/': " + text);
        }
        return new PathTemplate(text, List.of(text.substring(1).split("/", -1)));
    }

    /** The parameters by name when {@code decodedSegments} fits this template. */
    public Optional<Map<String, String>> match(List<String> decodedSegments) {
        if (decodedSegments.size() != segments.size()) {
            return Optional.empty();
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < segments.size(); i++) {
            String pattern = segments.get(i);
            String actual = decodedSegments.get(i);
            if (isParameter(pattern)) {
                if (actual.isEmpty()) {
                    return Optional.empty();
                }
                params.put(pattern.substring(1, pattern.length() - 1), actual);
            } else if (!pattern.equals(actual)) {
                return Optional.empty();
            }
        }
        return Optional.of(params);
    }

    /** Parameters count less than literals, so {@code /workers/register} wins over {@code /workers/{ref}}. */
    int parameterCount() {
        return (int) segments.stream().filter(PathTemplate::isParameter).count();
    }

    private static boolean isParameter(String segment) {
        return segment.startsWith("{") && segment.endsWith("}");
    }
}
