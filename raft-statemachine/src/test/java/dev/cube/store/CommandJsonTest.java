package dev.cube.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.model.TaskState;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommandJsonTest {

    /**
     * The type tags of the commands in the log. Append-only: a log written by an older manager must
     * still replay, so a tag may be added here but never renamed or removed.
     */
    private static final Map<Class<? extends Command>, String> TAGS = new LinkedHashMap<>();

    static {
        TAGS.put(Command.SubmitTask.class, "submit-task");
        TAGS.put(Command.StopTask.class, "stop-task");
        TAGS.put(Command.RegisterWorker.class, "register-worker");
        TAGS.put(Command.PlaceTasks.class, "place-tasks");
        TAGS.put(Command.ReportTaskStatus.class, "report-task-status");
        TAGS.put(Command.MarkWorkerDown.class, "mark-worker-down");
        TAGS.put(Command.Batch.class, "batch");
        TAGS.put(Command.PutManager.class, "put-manager");
        TAGS.put(Command.LeaderElected.class, "leader-elected");
        TAGS.put(Command.RemoveWorker.class, "remove-worker");
        TAGS.put(Command.RemoveManager.class, "remove-manager");
        TAGS.put(Command.SetWorkerAvailability.class, "set-worker-availability");
        TAGS.put(Command.SubmitTasks.class, "submit-tasks");
        TAGS.put(Command.SubmitReplicas.class, "submit-replicas");
        TAGS.put(Command.ReportTaskStatuses.class, "report-task-statuses");
    }

    static List<Command> commands() {
        return Fixtures.everyCommand();
    }

    @Test
    void everyCommandTypeIsCovered() {
        Set<Class<?>> permitted = Set.of(Command.class.getPermittedSubclasses());
        assertEquals(permitted, TAGS.keySet());
        assertEquals(permitted, commands().stream().map(Object::getClass).collect(Collectors.toSet()));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void survivesAJsonRoundTrip(Command command) {
        byte[] bytes = Json.bytes(command);
        assertEquals(command, Json.read(bytes, Command.class));
    }

    @ParameterizedTest
    @MethodSource("commands")
    void carriesItsTypeTag(Command command) throws Exception {
        JsonNode tree = Json.MAPPER.readTree(Json.bytes(command));
        assertEquals(TAGS.get(command.getClass()), tree.get("type").asText(), tree::toString);
    }

    @ParameterizedTest
    @MethodSource("commands")
    void survivesTheStateMachineEncoding(Command command) {
        byte[] bytes = CubeStateMachine.encode(command).getContent().toByteArray();
        assertEquals(command, Json.read(bytes, Command.class));
    }

    @Test
    void aPlacementIsWrittenAsAnArray() throws Exception {
        var pass = new Command.PlaceTasks(List.of(new Command.Placement("t-1", "w-1", 7)), Map.of(),
                java.time.Instant.parse("2026-01-01T00:00:00Z"), 2);
        JsonNode tree = Json.MAPPER.readTree(Json.bytes(pass));
        assertEquals("[[\"t-1\",\"w-1\",7]]", tree.get("placements").toString());
    }

    @Test
    void aPlacementWrittenAsAnObjectStillReads() {
        String old = """
                {"type":"place-tasks","placements":[{"taskId":"t-1","workerId":"w-1","taskVersion":7}],
                 "reasons":{},"at":"2026-01-01T00:00:00Z","leaderTerm":2}""";
        var pass = (Command.PlaceTasks) Json.read(old.getBytes(StandardCharsets.UTF_8), Command.class);
        assertEquals(List.of(new Command.Placement("t-1", "w-1", 7)), pass.placements());
    }

    @Test
    void aStatusUpdateIsWrittenAsAnArray() throws Exception {
        var report = new Command.ReportTaskStatuses("w-1", "s-1", List.of(
                new Command.StatusUpdate("t-1", TaskState.RUNNING, "c-1", null, null),
                new Command.StatusUpdate("t-2", TaskState.FAILED, null, 137, "killed \"hard\"")),
                java.time.Instant.parse("2026-01-01T00:00:00Z"));
        byte[] bytes = Json.bytes(report);
        assertEquals("[[\"t-1\",\"running\",\"c-1\",null,null],[\"t-2\",\"failed\",null,137,\"killed \\\"hard\\\"\"]]",
                Json.MAPPER.readTree(bytes).get("reports").toString());
        assertEquals(report, Json.read(bytes, Command.class));
    }

    @Test
    void aStatusUpdateWrittenAsAnObjectStillReads() {
        String old = """
                {"type":"report-task-statuses","workerId":"w-1","session":"s-1","reports":[
                 {"taskId":"t-1","state":"running","containerId":"c-1"},
                 {"taskId":"t-2","state":"failed","exitCode":137,"error":"oom"}],"at":"2026-01-01T00:00:00Z"}""";
        var report = (Command.ReportTaskStatuses) Json.read(old.getBytes(StandardCharsets.UTF_8), Command.class);
        assertEquals(List.of(new Command.StatusUpdate("t-1", TaskState.RUNNING, "c-1", null, null),
                new Command.StatusUpdate("t-2", TaskState.FAILED, null, 137, "oom")), report.reports());
    }

    @Test
    void aMalformedStatusUpdateIsRefused() {
        for (String reports : List.of("[[\"t-1\"]]", "[[\"t-1\",\"running\",null,\"x\",null]]",
                "[[\"t-1\",\"running\",null,null,null,1]]", "[[null,\"running\",null,null,null]]", "[7]")) {
            String json = "{\"type\":\"report-task-statuses\",\"workerId\":\"w-1\",\"session\":\"s-1\",\"reports\":"
                    + reports + ",\"at\":\"2026-01-01T00:00:00Z\"}";
            assertThrows(UncheckedIOException.class,
                    () -> Json.read(json.getBytes(StandardCharsets.UTF_8), Command.class), reports);
        }
    }

    @Test
    void theOutcomesSurviveAJsonRoundTrip() {
        Outcome accepted = new Outcome.Accepted(Json.MAPPER.createObjectNode().put("placed", 2));
        Outcome rejected = new Outcome.Rejected(Outcome.Reason.STALE, "outdated session");
        assertEquals(accepted, Json.read(Json.bytes(accepted), Outcome.class));
        assertEquals(rejected, Json.read(Json.bytes(rejected), Outcome.class));
    }

    @Test
    void aKnownTagReadsFromHandWrittenJson() {
        String json = """
                {"type":"stop-task","taskRef":"web","at":"2025-03-01T12:00:50Z"}""";
        assertEquals(Fixtures.stop("web"), Json.read(json.getBytes(StandardCharsets.UTF_8), Command.class));
    }

    @Test
    void anUnknownTagIsRefused() {
        String json = """
                {"type":"launch-rocket","at":"2025-03-01T12:00:50Z"}""";
        assertThrows(UncheckedIOException.class,
                () -> Json.read(json.getBytes(StandardCharsets.UTF_8), Command.class));
    }
}
