package dev.cube.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.store.Command;
import dev.cube.store.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.server.raftlog.RaftLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bulk submissions through a real manager: each call is one command in one Raft entry. */
class BulkSubmitTest {

    @Test
    void anArrayAndAReplicaSetAreOneEntryEach(@TempDir Path dir) throws Exception {
        try (OneManager manager = new OneManager(dir); HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> array = post(http, manager, """
                    [{"name":"a","image":"cube-demo:latest"},{"name":"b","image":"cube-demo:latest"},
                     {"name":"c","image":"cube-demo:latest"}]""");
            assertEquals(201, array.statusCode(), array.body());
            assertEquals(3, Json.MAPPER.readTree(array.body()).get("submitted").asInt());
            HttpResponse<String> replicas = post(http, manager,
                    "{\"name\":\"web\",\"image\":\"cube-demo:latest\",\"count\":40}");
            assertEquals(201, replicas.statusCode(), replicas.body());
            JsonNode last = Json.MAPPER.readTree(replicas.body()).get("last");
            assertEquals("web-40", last.get("name").asText());
            assertNotNull(manager.store().task(last.get("id").asText()));

            List<Command> submissions = new ArrayList<>();
            RaftLog log = manager.node().raft().division().getRaftLog();
            for (long i = log.getStartIndex(); i <= log.getLastCommittedIndex(); i++) {
                LogEntryProto entry = log.get(i);
                if (entry != null && entry.hasStateMachineLogEntry()) {
                    Command c = Json.read(entry.getStateMachineLogEntry().getLogData().toByteArray(), Command.class);
                    if (c instanceof Command.SubmitTask || c instanceof Command.SubmitTasks
                            || c instanceof Command.SubmitReplicas) {
                        submissions.add(c);
                    }
                }
            }
            assertEquals(2, submissions.size(), submissions.toString());
            assertEquals(3, ((Command.SubmitTasks) submissions.get(0)).tasks().size());
            assertEquals(40, ((Command.SubmitReplicas) submissions.get(1)).count());
            assertEquals(43, manager.store().pendingTasks(100).size());

            HttpResponse<String> again = post(http, manager,
                    "[{\"name\":\"d\",\"image\":\"cube-demo:latest\"},{\"name\":\"web-7\",\"image\":\"cube-demo:latest\"}]");
            assertEquals(409, again.statusCode(), again.body());
            assertEquals(null, manager.store().task("d"), "all or none");
        }
    }

    private static HttpResponse<String> post(HttpClient http, OneManager manager, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(manager.url() + "/tasks"))
                .header("content-type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
