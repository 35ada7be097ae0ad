package dev.cube.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.PortMapping;
import dev.cube.model.RestartPolicy;
import dev.cube.model.Task;
import dev.cube.model.TaskSpec;
import dev.cube.model.VolumeMount;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SharedSpecJsonTest {

    private static TaskSpec spec(int i) {
        return new TaskSpec("web-" + i, "cube-demo:latest", List.of("sh", "-c", "echo \"é\" " + i),
                Map.of("A", "1", "QUOTE", "say \"hi\"\n", "N", String.valueOf(i)), 0.25 * (i % 4 + 1), 8L << 20,
                List.of(new PortMapping(8000 + i, 80, "tcp")), Map.of("tier", "front"), List.of("zone==a"),
                new RestartPolicy(RestartPolicy.Policy.ON_FAILURE, 3, Duration.ofSeconds(2)),
                List.of(new VolumeMount("web/data", "/data", i % 2 == 0)));
    }

    /** Tasks of 40 specs, each shared by three replicas, interleaved: more specs than the cache keeps. */
    private static List<Task> tasks() {
        List<TaskSpec> specs = new ArrayList<>();
        for (int i = 0; i < 40; i++) specs.add(i % 10 == 0 ? Fixtures.spec("plain-" + i) : spec(i));
        List<Task> tasks = new ArrayList<>();
        for (int replica = 0; replica < 3; replica++) {
            for (TaskSpec spec : specs) {
                tasks.add(Task.submitted(spec.name() + "-" + replica, spec.name() + "." + replica, spec, Fixtures.T0, 7));
            }
        }
        return tasks;
    }

    @Test
    void writesWhatTheBeanSerializerWrites() throws Exception {
        List<Task> tasks = tasks();
        JsonNode tree = Json.MAPPER.valueToTree(tasks);   // a tree takes the bean serializer
        assertTrue(tree.get(1).get("spec").isObject(), "a spec in a tree is an object, not raw text");
        assertEquals("cube-demo:latest", tree.get(1).get("spec").get("image").asText());
        String expected = Json.MAPPER.writeValueAsString(tree);
        for (int round = 0; round < 2; round++) {   // the second round writes from the cache
            assertEquals(expected, new String(Json.bytes(tasks), StandardCharsets.UTF_8));
            assertEquals(expected, Json.MAPPER.writeValueAsString(tasks));
        }
        assertEquals(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree),
                Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tasks));
    }

    @Test
    void readsBackTheSameTasks() {
        List<Task> tasks = tasks();
        Task[] read = Json.read(Json.bytes(tasks), Task[].class);
        assertEquals(tasks, List.of(read));
    }
}
