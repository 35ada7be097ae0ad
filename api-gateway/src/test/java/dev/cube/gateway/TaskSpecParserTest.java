package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cube.model.PortMapping;
import dev.cube.model.TaskSpec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TaskSpecParserTest {

    private static TaskSpec parse(String json) {
        return TaskSpecParser.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** A valid spec with one extra member spliced in. */
    private static String with(String member) {
        return "{\"name\":\"web\",\"image\":\"nginx:1.27\"," + member + "}";
    }

    @Test
    void minimalSpecGetsDefaults() {
        TaskSpec spec = parse("{\"name\":\"web\",\"image\":\"nginx\"}");
        assertEquals(new TaskSpec("web", "nginx", List.of(), Map.of(), 0.1, 128L << 20, List.of(), Map.of()), spec);
    }

    @Test
    void fullSpecIsRead() {
        TaskSpec spec = parse("""
                {"name":"api-1","image":"registry.local:5000/team/api:v2@sha256:%s",
                 "command":["sh","-c","echo hi"],"env":{"MODE":"prod","_X1":""},"cpus":1.5,"memory":"1Gi",
                 "ports":["8080:80","53:53/udp",9000],"labels":{"team":"core"}}
                """.formatted("a".repeat(64)));
        assertEquals("api-1", spec.name());
        assertEquals(List.of("sh", "-c", "echo hi"), spec.command());
        assertEquals(Map.of("MODE", "prod", "_X1", ""), spec.env());
        assertEquals(1.5, spec.cpus());
        assertEquals(1L << 30, spec.memoryBytes());
        assertEquals(List.of(new PortMapping(8080, 80, "tcp"), new PortMapping(53, 53, "udp"),
                new PortMapping(0, 9000, "tcp")), spec.ports());
        assertEquals(Map.of("team", "core"), spec.labels());
    }

    static Stream<Arguments> goodSpecs() {
        return Stream.of(
                Arguments.of(with("\"memory\":134217728"), 128L << 20),
                Arguments.of(with("\"memory\":\"256m\""), 256L << 20),
                Arguments.of(with("\"memory\":\"256Mi\""), 256L << 20),
                Arguments.of(with("\"memory\":\"64MB\""), 64L << 20),
                Arguments.of(with("\"memory\":\"1g\""), 1L << 30),
                Arguments.of(with("\"memory\":\"1GB\""), 1L << 30),
                Arguments.of(with("\"memory\":\"8192k\""), 8L << 20),
                Arguments.of(with("\"memory\":\"6291456\""), 6L << 20),
                Arguments.of(with("\"memory\":\"6291456b\""), 6L << 20),
                Arguments.of(with("\"memory\":null"), 128L << 20),
                Arguments.of(with("\"memory\":\"1024g\""), 1L << 40));
    }

    @ParameterizedTest
    @MethodSource("goodSpecs")
    void memoryForms(String json, long bytes) {
        assertEquals(bytes, parse(json).memoryBytes());
    }

    @ParameterizedTest
    @MethodSource("goodImages")
    void goodImages(String image) {
        assertEquals(image, parse("{\"name\":\"a\",\"image\":\"" + image + "\"}").image());
    }

    static Stream<String> goodImages() {
        return Stream.of("busybox", "busybox:1.36", "library/nginx:latest", "docker.io/library/nginx",
                "localhost:5000/app", "my-registry.example.com/team/app_x:1.0-rc.1", "a/b/c/d",
                "ghcr.io/org/img@sha256:" + "0".repeat(64), "cube-local/busybox:offline", "app__x.y-z");
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                // body
                Arguments.of("[]", null),
                Arguments.of("\"web\"", null),
                Arguments.of("", null),
                Arguments.of("{\"name\":", null),
                Arguments.of("{\"name\":\"a\",\"name\":\"b\",\"image\":\"x\"}", null),
                Arguments.of("{\"name\":\"a\",\"image\":\"x\"} trailing", null),
                Arguments.of("[".repeat(40) + "]".repeat(40), null),
                Arguments.of(with("\"labels\":" + "{\"a\":".repeat(40) + "1" + "}".repeat(40)), null),
                Arguments.of(with("\"foo\":1"), "foo"),
                Arguments.of(with("\"restart\":\"always\""), "restart"),
                // name
                Arguments.of("{\"image\":\"nginx\"}", "name"),
                Arguments.of("{\"name\":null,\"image\":\"nginx\"}", "name"),
                Arguments.of("{\"name\":7,\"image\":\"nginx\"}", "name"),
                Arguments.of("{\"name\":\"\",\"image\":\"nginx\"}", "name"),
                Arguments.of("{\"name\":\"Web\",\"image\":\"nginx\"}", "name"),
                Arguments.of("{\"name\":\"-web\",\"image\":\"nginx\"}", "name"),
                Arguments.of("{\"name\":\"web-\",\"image\":\"nginx\"}", "name"),
                Arguments.of("{\"name\":\"web_1\",\"image\":\"nginx\"}", "name"),
                Arguments.of("{\"name\":\"" + "a".repeat(64) + "\",\"image\":\"nginx\"}", "name"),
                // image
                Arguments.of("{\"name\":\"web\"}", "image"),
                Arguments.of("{\"name\":\"web\",\"image\":\"\"}", "image"),
                Arguments.of("{\"name\":\"web\",\"image\":[\"nginx\"]}", "image"),
                Arguments.of("{\"name\":\"web\",\"image\":\"Nginx\"}", "image"),
                Arguments.of("{\"name\":\"web\",\"image\":\"nginx:\"}", "image"),
                Arguments.of("{\"name\":\"web\",\"image\":\"nginx latest\"}", "image"),
                Arguments.of("{\"name\":\"web\",\"image\":\"nginx@sha256:abc\"}", "image"),
                Arguments.of("{\"name\":\"web\",\"image\":\"/nginx\"}", "image"),
                Arguments.of("{\"name\":\"web\",\"image\":\"" + "a".repeat(256) + "\"}", "image"),
                // command
                Arguments.of(with("\"command\":\"sleep 1\""), "command"),
                Arguments.of(with("\"command\":[\"a\",\"b\",3]"), "command[2]"),
                Arguments.of(with("\"command\":[\"" + "x".repeat(4097) + "\"]"), "command[0]"),
                Arguments.of(with("\"command\":[" + "\"a\",".repeat(256) + "\"a\"]"), "command"),
                // env
                Arguments.of(with("\"env\":[]"), "env"),
                Arguments.of(with("\"env\":{\"FOO\":1}"), "env.FOO"),
                Arguments.of(with("\"env\":{\"1FOO\":\"x\"}"), "env.1FOO"),
                Arguments.of(with("\"env\":{\"A-B\":\"x\"}"), "env.A-B"),
                Arguments.of(with("\"env\":{\"BIG\":\"" + "x".repeat(32 * 1024 + 1) + "\"}"), "env.BIG"),
                Arguments.of(with("\"env\":" + manyEntries(257)), "env"),
                // cpus
                Arguments.of(with("\"cpus\":0"), "cpus"),
                Arguments.of(with("\"cpus\":-1"), "cpus"),
                Arguments.of(with("\"cpus\":0.001"), "cpus"),
                Arguments.of(with("\"cpus\":1025"), "cpus"),
                Arguments.of(with("\"cpus\":1e999"), "cpus"),
                Arguments.of(with("\"cpus\":\"1\""), "cpus"),
                // memory
                Arguments.of(with("\"memory\":\"5m\""), "memory"),
                Arguments.of(with("\"memory\":1024"), "memory"),
                Arguments.of(with("\"memory\":\"2t\""), "memory"),
                Arguments.of(with("\"memory\":\"1025g\""), "memory"),
                Arguments.of(with("\"memory\":\"lots\""), "memory"),
                Arguments.of(with("\"memory\":\"-256m\""), "memory"),
                Arguments.of(with("\"memory\":\"99999999999999999999g\""), "memory"),
                Arguments.of(with("\"memory\":1.5e9"), "memory"),
                Arguments.of(with("\"memory\":true"), "memory"),
                // ports
                Arguments.of(with("\"ports\":\"80\""), "ports"),
                Arguments.of(with("\"ports\":[\"80:0\"]"), "ports[0]"),
                Arguments.of(with("\"ports\":[\"80\",\"70000:80\"]"), "ports[1]"),
                Arguments.of(with("\"ports\":[\"8080:80/sctp\"]"), "ports[0]"),
                Arguments.of(with("\"ports\":[\"a:b\"]"), "ports[0]"),
                Arguments.of(with("\"ports\":[0]"), "ports[0]"),
                Arguments.of(with("\"ports\":[65536]"), "ports[0]"),
                Arguments.of(with("\"ports\":[true]"), "ports[0]"),
                Arguments.of(with("\"ports\":[\"8080:80\",\"8080:81\"]"), "ports[1]"),
                // labels
                Arguments.of(with("\"labels\":{\"x\":1}"), "labels.x"),
                Arguments.of(with("\"labels\":{\"" + "k".repeat(129) + "\":\"v\"}"), "labels." + "k".repeat(129)),
                Arguments.of(with("\"labels\":" + manyEntries(65)), "labels"),
                Arguments.of(with("\"labels\":\"team=core\""), "labels"),
                // constraints
                Arguments.of(with("\"constraints\":\"zone==a\""), "constraints"),
                Arguments.of(with("\"constraints\":[\"zone==a\",\"zone=a\"]"), "constraints[1]"),
                Arguments.of(with("\"constraints\":[\"zone\"]"), "constraints[0]"),
                Arguments.of(with("\"constraints\":[\"zone<>a\"]"), "constraints[0]"),
                Arguments.of(with("\"constraints\":[\"==a\"]"), "constraints[0]"),
                Arguments.of(with("\"constraints\":[\"zone==\"]"), "constraints[0]"),
                Arguments.of(with("\"constraints\":[\"-zone==a\"]"), "constraints[0]"),
                Arguments.of(with("\"constraints\":[\"" + "k".repeat(129) + "==a\"]"), "constraints[0]"),
                Arguments.of(with("\"constraints\":[1]"), "constraints[0]"));
    }

    @Test
    void constraintsAreReadAndWrittenPlainly() {
        TaskSpec spec = parse(with("\"constraints\":[\"zone==a\", \" disk != hdd \", \"team.io/tier==gold plated\"]"));
        assertEquals(List.of("zone==a", "disk!=hdd", "team.io/tier==gold plated"), spec.constraints());
        assertEquals("constraints[1] 'zone' is not 'key==value' or 'key!=value'", assertThrows(ValidationException.class,
                () -> parse(with("\"constraints\":[\"zone==a\",\"zone\"]"))).getMessage());
    }

    private static String manyEntries(int count) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("\"K").append(i).append("\":\"v\"");
        }
        return json.append('}').toString();
    }

    @ParameterizedTest
    @MethodSource("badSpecs")
    void badSpecsNameTheField(String json, String field) {
        ValidationException e = assertThrows(ValidationException.class, () -> parse(json));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().length() > 5, e.getMessage());
    }

    @Test
    void messagesAreSentences() {
        assertEquals("unknown field 'foo'",
                assertThrows(ValidationException.class, () -> parse(with("\"foo\":1"))).getMessage());
        assertTrue(assertThrows(ValidationException.class, () -> parse("{\"name\":"))
                .getMessage().startsWith("request body is not valid JSON: "));
        assertNull(assertThrows(ValidationException.class, () -> parse("{")).field());
        assertTrue(assertThrows(ValidationException.class, () -> parse(with("\"memory\":\"5m\"")))
                .getMessage().contains("6 MiB"));
    }
}
