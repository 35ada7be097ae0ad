package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cube.model.TaskSpec;
import dev.cube.model.TaskState;
import dev.cube.store.Command;
import dev.cube.store.Outcome;
import dev.cube.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** The public task API: submit, list, get and stop tasks. */
final class TaskRoutes {
    private final ClusterApi api;
    private final Duration timeout;
    private final TaskDefaults defaults;

    TaskRoutes(ClusterApi api, Duration timeout, TaskDefaults defaults) {
        this.api = api;
        this.timeout = timeout;
        this.defaults = defaults;
    }

    List<Route> routes() {
        return List.of(
                Route.post("/tasks", this::submit),
                Route.get("/tasks", this::list),
                Route.get("/tasks/{ref}", this::get),
                Route.delete("/tasks/{ref}", this::stop));
    }

    /**
     * One task (an object), many (an array of objects), or replicas of one ({@code "count": N}); the
     * bulk forms are one command each, all or none.
     */
    private CompletableFuture<ApiResponse> submit(ApiRequest request) {
        JsonNode body = JsonBody.parseObjectOrArray(request.body());
        if (body instanceof ArrayNode array) {
            List<Command.NewTask> tasks = TaskBatchParser.parseArray(array, defaults).stream()
                    .map(spec -> new Command.NewTask(UUID.randomUUID().toString(), spec)).toList();
            return submitBulk(new Command.SubmitTasks(tasks, Instant.now()));
        }
        ObjectNode object = (ObjectNode) body;
        if (object.has("count")) {
            TaskBatchParser.Replicas replicas = TaskBatchParser.parseReplicas(object, defaults);
            return submitBulk(new Command.SubmitReplicas(UUID.randomUUID().toString(), replicas.spec(),
                    replicas.count(), Instant.now()));
        }
        TaskSpec spec = TaskSpecParser.parse(object, defaults);
        String taskId = UUID.randomUUID().toString();
        Command command = new Command.SubmitTask(taskId, spec, Instant.now());
        return Deadlines.within(timeout, () -> api.write(command)).thenApply(outcome -> switch (outcome) {
            case Outcome.Accepted accepted -> ApiResponse.json(201, accepted.value())
                    .withHeader("Location", "/tasks/" + idOf(accepted.value(), taskId));
            case Outcome.Rejected rejected -> OutcomeResponses.rejected(rejected);
            case Outcome.Batch batch -> OutcomeResponses.unexpected(batch);
        });
    }

    private CompletableFuture<ApiResponse> submitBulk(Command command) {
        return Deadlines.within(timeout, () -> api.write(command)).thenApply(outcome -> OutcomeResponses.of(outcome, 201));
    }

    private CompletableFuture<ApiResponse> list(ApiRequest request) {
        String state = state(request.query().get("state"));
        boolean stale = request.query().getBoolean("stale", false);
        return Deadlines.within(timeout, () -> api.read(new Query.ListTasks(state), stale))
                .thenApply(tasks -> ApiResponse.json(200, RestartWaits.describe(tasks, Instant.now())));
    }

    private CompletableFuture<ApiResponse> get(ApiRequest request) {
        String ref = request.param("ref");
        boolean stale = request.query().getBoolean("stale", false);
        return Deadlines.within(timeout, () -> api.read(new Query.GetTask(ref), stale))
                .thenApply(task -> isAbsent(task)
                        ? ApiResponse.error(404, "no task with name or id '" + ref + "'")
                        : ApiResponse.json(200, RestartWaits.describe(task, Instant.now())));
    }

    private CompletableFuture<ApiResponse> stop(ApiRequest request) {
        Command command = new Command.StopTask(PathIds.of(request, "ref"), Instant.now());
        return Deadlines.within(timeout, () -> api.write(command))
                .thenApply(outcome -> OutcomeResponses.of(outcome, 200));
    }

    private static String state(String text) {
        if (text == null) {
            return null;
        }
        return Arrays.stream(TaskState.values())
                .map(TaskState::json)
                .filter(text::equals)
                .findFirst()
                .orElseThrow(() -> new ValidationException("state", "state must be one of "
                        + WorkerBodies.TASK_STATES + ", not '" + JsonFields.abbreviate(text) + "'"));
    }

    static boolean isAbsent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    private static String idOf(JsonNode task, String fallback) {
        JsonNode id = task == null ? null : task.get("id");
        return id != null && id.isTextual() ? id.textValue() : fallback;
    }
}
