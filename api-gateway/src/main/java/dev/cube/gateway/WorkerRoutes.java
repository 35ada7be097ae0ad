package dev.cube.gateway;

import dev.cube.store.Command;
import dev.cube.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Workers as users see them ({@code GET /workers}, {@code GET /workers/{ref}}) and the endpoints
 * the worker agent calls: register, heartbeat, long-poll for assignments, report task status.
 */
final class WorkerRoutes {
    static final long DEFAULT_WAIT_MILLIS = 10_000;
    static final long MAX_WAIT_MILLIS = 30_000;

    private final ClusterApi api;
    private final Duration timeout;

    WorkerRoutes(ClusterApi api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    List<Route> routes() {
        return List.of(
                Route.get("/workers", this::list),
                Route.get("/workers/{ref}", this::get),
                Route.post("/workers/register", this::register),
                Route.post("/workers/{id}/heartbeat", this::heartbeat),
                Route.get("/workers/{id}/assignments", this::assignments),
                Route.post("/workers/{id}/tasks/{taskId}/status", this::reportStatus),
                Route.post("/workers/{id}/status", this::reportStatuses));
    }

    private CompletableFuture<ApiResponse> list(ApiRequest request) {
        boolean stale = request.query().getBoolean("stale", false);
        return Deadlines.within(timeout, () -> api.read(new Query.ListWorkers(), stale))
                .thenApply(workers -> ApiResponse.json(200, workers));
    }

    private CompletableFuture<ApiResponse> get(ApiRequest request) {
        String ref = request.param("ref");
        boolean stale = request.query().getBoolean("stale", false);
        return Deadlines.within(timeout, () -> api.read(new Query.GetWorker(ref), stale))
                .thenApply(worker -> TaskRoutes.isAbsent(worker)
                        ? ApiResponse.error(404, "no worker with name or id '" + ref + "'")
                        : ApiResponse.json(200, worker));
    }

    private CompletableFuture<ApiResponse> register(ApiRequest request) {
        WorkerBodies.Registration r = WorkerBodies.registration(request.body());
        Command command = new Command.RegisterWorker(r.id(), r.name(), r.host(), r.cpus(), r.memoryBytes(),
                r.labels(), UUID.randomUUID().toString(), Instant.now());
        return Deadlines.within(timeout, () -> api.write(command))
                .thenApply(outcome -> OutcomeResponses.of(outcome, 200));
    }

    private CompletableFuture<ApiResponse> heartbeat(ApiRequest request) {
        String workerId = request.param("id");
        String session = WorkerBodies.heartbeatSession(request.body());
        return Deadlines.within(timeout, () -> api.heartbeat(workerId, session))
                .thenApply(known -> Boolean.TRUE.equals(known)
                        ? ApiResponse.json(200, Map.of("ok", true))
                        : ApiResponse.error(404, "unknown worker or session: register again"));
    }

    private CompletableFuture<ApiResponse> assignments(ApiRequest request) {
        String workerId = request.param("id");
        long after = request.query().getNonNegativeLong("after", 0);
        long waitMillis = Math.min(request.query().getNonNegativeLong("wait", DEFAULT_WAIT_MILLIS), MAX_WAIT_MILLIS);
        Duration wait = Duration.ofMillis(waitMillis);
        boolean changedOnly = request.query().getBoolean("changed", false);
        return Deadlines.within(wait.plus(timeout), () -> api.assignments(workerId, after, wait, changedOnly))
                .thenApply(assignments -> ApiResponse.json(200, assignments));
    }

    /** Many reports of one worker in one command: 200 {"accepted": n, "refused": [...]}, 409 for a stale session. */
    private CompletableFuture<ApiResponse> reportStatuses(ApiRequest request) {
        WorkerBodies.StatusReports reports = WorkerBodies.statusReports(request.body());
        Command command = new Command.ReportTaskStatuses(request.param("id"), reports.session(), reports.reports(),
                Instant.now());
        return Deadlines.within(timeout, () -> api.write(command))
                .thenApply(outcome -> OutcomeResponses.of(outcome, 200));
    }

    private CompletableFuture<ApiResponse> reportStatus(ApiRequest request) {
        WorkerBodies.StatusReport report = WorkerBodies.statusReport(request.body());
        Command command = new Command.ReportTaskStatus(request.param("taskId"), request.param("id"),
                report.session(), report.state(), report.containerId(), report.exitCode(), report.error(),
                Instant.now());
        return Deadlines.within(timeout, () -> api.write(command))
                .thenApply(outcome -> OutcomeResponses.of(outcome, 200));
    }
}
