package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.store.Json;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code openapi.json} describes exactly the routes the gateway serves: a route added to the gateway
 * without a description fails here, and so does a description of a route that does not exist.
 */
class OpenApiTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void theDocumentListsEveryRouteAndNothingElse() throws Exception {
        GatewayServer gateway = new GatewayServer("127.0.0.1", 0, new FakeClusterApi(), new MetricRegistry());
        Set<String> served = gateway.routes().stream()
                .map(route -> route.method() + " " + route.template().text())
                .collect(Collectors.toCollection(TreeSet::new));

        JsonNode document = Json.MAPPER.readTree(OpenApiRoutes.load());
        assertTrue(document.path("openapi").asText().startsWith("3.0"), "OpenAPI 3.0");
        Set<String> described = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            if (METHODS.contains(op.getKey())) {
                described.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                assertTrue(op.getValue().path("responses").size() > 0, path.getKey() + " " + op.getKey()
                        + " lists its responses");
            }
        }));

        Set<String> undocumented = new TreeSet<>(served);
        undocumented.removeAll(described);
        Set<String> phantom = new TreeSet<>(described);
        phantom.removeAll(served);
        assertEquals(Set.of(), undocumented, "routes served but missing from openapi.json");
        assertEquals(Set.of(), phantom, "routes in openapi.json the gateway does not serve");
    }

    @Test
    void everyPathParameterIsDeclared() throws Exception {
        JsonNode document = Json.MAPPER.readTree(OpenApiRoutes.load());
        document.path("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
            Set<String> declared = new TreeSet<>();
            op.getValue().path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("path")) declared.add(p.path("name").asText());
            });
            Set<String> inTemplate = new TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([^}]+)}").matcher(path.getKey());
            while (m.find()) inTemplate.add(m.group(1));
            assertEquals(inTemplate, declared, op.getKey() + " " + path.getKey());
        }));
    }
}
