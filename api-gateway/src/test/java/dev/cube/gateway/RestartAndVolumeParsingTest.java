package dev.cube.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.RestartPolicy;
import dev.cube.model.RestartPolicy.Policy;
import dev.cube.model.TaskSpec;
import dev.cube.model.VolumeMount;
import dev.cube.store.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code restart} and {@code volumes} members of a task spec, and how a waiting restart is shown. */
class RestartAndVolumeParsingTest {

    private static TaskSpec parse(String member) {
        return TaskSpecParser.parse(("{\"name\":\"web\",\"image\":\"nginx:1.27\"," + member + "}")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static ValidationException refused(String member) {
        return assertThrows(ValidationException.class, () -> parse(member));
    }

    @Test
    void aRestartPolicyIsRead() {
        TaskSpec spec = parse("\"restart\":{\"policy\":\"on-failure\",\"maxAttempts\":5,\"delay\":\"250ms\"}");
        assertEquals(new RestartPolicy(Policy.ON_FAILURE, 5, Duration.ofMillis(250)), spec.restart());
        assertEquals(new RestartPolicy(Policy.ALWAYS, 0, Duration.ofSeconds(1)),
                parse("\"restart\":{\"policy\":\"always\"}").restart(), "no limit, a 1 s delay");
        assertEquals(RestartPolicy.NEVER, parse("\"cpus\":1").restart());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"restart\":\"always\"                                   | restart",
            "\"restart\":{}                                           | restart.policy",
            "\"restart\":{\"policy\":\"sometimes\"}                   | restart.policy",
            "\"restart\":{\"policy\":3}                               | restart.policy",
            "\"restart\":{\"policy\":\"always\",\"maxAttempts\":-1}   | restart.maxAttempts",
            "\"restart\":{\"policy\":\"always\",\"maxAttempts\":1.5}  | restart.maxAttempts",
            "\"restart\":{\"policy\":\"always\",\"maxAttempts\":\"3\"} | restart.maxAttempts",
            "\"restart\":{\"policy\":\"always\",\"delay\":\"soon\"}   | restart.delay",
            "\"restart\":{\"policy\":\"always\",\"delay\":\"1h\"}     | restart.delay",
            "\"restart\":{\"policy\":\"always\",\"delay\":2}          | restart.delay",
            "\"restart\":{\"policy\":\"always\",\"tries\":2}          | restart.tries",
    })
    void aBadRestartNamesItsField(String member, String field) {
        ValidationException e = refused(member);
        assertEquals(field, e.field(), e.getMessage());
    }

    @Test
    void volumesAreRead() {
        TaskSpec spec = parse("\"volumes\":[{\"source\":\"web/data\",\"target\":\"/data\"},"
                + "{\"source\":\"shared.conf-1\",\"target\":\"/etc/app\",\"readOnly\":true}]");
        assertEquals(List.of(new VolumeMount("web/data", "/data", false), new VolumeMount("shared.conf-1", "/etc/app", true)),
                spec.volumes());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"volumes\":{}                                                  | volumes",
            "\"volumes\":[\"web:/data\"]                                     | volumes[0]",
            "\"volumes\":[{\"target\":\"/data\"}]                            | volumes[0].source",
            "\"volumes\":[{\"source\":\"\",\"target\":\"/data\"}]            | volumes[0].source",
            "\"volumes\":[{\"source\":\"../etc\",\"target\":\"/data\"}]      | volumes[0].source",
            "\"volumes\":[{\"source\":\"web/../../x\",\"target\":\"/data\"}] | volumes[0].source",
            "\"volumes\":[{\"source\":\"/etc\",\"target\":\"/data\"}]        | volumes[0].source",
            "\"volumes\":[{\"source\":\"web//data\",\"target\":\"/data\"}]   | volumes[0].source",
            "\"volumes\":[{\"source\":\"./web\",\"target\":\"/data\"}]       | volumes[0].source",
            "\"volumes\":[{\"source\":\"a:b\",\"target\":\"/data\"}]         | volumes[0].source",
            "\"volumes\":[{\"source\":\"web\",\"target\":\"data\"}]          | volumes[0].target",
            "\"volumes\":[{\"source\":\"web\",\"target\":\"/\"}]             | volumes[0].target",
            "\"volumes\":[{\"source\":\"web\",\"target\":\"/a/../b\"}]       | volumes[0].target",
            "\"volumes\":[{\"source\":\"web\",\"target\":\"/a:b\"}]          | volumes[0].target",
            "\"volumes\":[{\"source\":\"web\",\"target\":\"/d\",\"readOnly\":\"yes\"}] | volumes[0].readOnly",
            "\"volumes\":[{\"source\":\"web\",\"target\":\"/d\",\"mode\":1}] | volumes[0].mode",
            "\"volumes\":[{\"source\":\"a\",\"target\":\"/d\"},{\"source\":\"b\",\"target\":\"/d\"}] | volumes[1].target",
    })
    void aBadVolumeNamesItsField(String member, String field) {
        ValidationException e = refused(member);
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field) || e.getMessage().contains("'" + field + "'"), e.getMessage());
    }

    @Test
    void aWaitingRestartSaysHowLongItStillWaits() {
        ObjectNode task = Json.MAPPER.createObjectNode().put("state", "pending")
                .put("reason", "restarting after exit code 3 (attempt 2 of 5)")
                .put("notBefore", "2025-03-01T12:00:04Z");
        RestartWaits.describe(task, Instant.parse("2025-03-01T12:00:00.200Z"));
        assertEquals("restarting in 4s after exit code 3 (attempt 2 of 5)", task.path("reason").asText());

        ObjectNode due = Json.MAPPER.createObjectNode().put("state", "pending")
                .put("reason", "restarting after exit code 3 (attempt 2 of 5)")
                .put("notBefore", "2025-03-01T12:00:04Z");
        RestartWaits.describe(Json.MAPPER.createArrayNode().add(due), Instant.parse("2025-03-01T12:00:05Z"));
        assertEquals("restarting after exit code 3 (attempt 2 of 5)", due.path("reason").asText(), "its time has come");
        assertEquals("2m30s", RestartWaits.text(Duration.ofSeconds(150)));
        assertEquals("850ms", RestartWaits.text(Duration.ofMillis(850)));
    }
}
