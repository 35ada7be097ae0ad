package dev.cube.gateway;

import dev.cube.model.Availability;
import dev.cube.store.Command;
import dev.cube.store.Query;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.cube.store.Outcome;

/**
 * Workers as users see them ({@code GET /workers}, {@code GET /workers/{ref}}) and the endpoints
 * the worker agent calls: register, heartbeat, long-poll for assignments, report task status; and
 * the operator's drain and activate. The agent's calls carry the join token (when one is
 * configured, see {@link ApiAuth}); after registering, its session, which only the registration's
 * answer reveals, proves it is the same incarnation in heartbeats and reports.
 */
final class WorkerRoutes {
    private static final Logger log = LoggerFactory.getLogger(WorkerRoutes.class);
    /** Refusals are logged, at most 10 a minute per worker (and 10 for malformed registrations). */
    private final LogBudget refusals = new LogBudget(10);
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
                Route.post("/workers/register", this::register).as(Route.Access.WORKER),
                Route.post("/workers/{id}/heartbeat", this::heartbeat).as(Route.Access.WORKER),
                Route.get("/workers/{id}/assignments", this::assignments).as(Route.Access.WORKER),
                Route.post("/workers/{id}/tasks/{taskId}/status", this::reportStatus).as(Route.Access.WORKER),
                Route.post("/workers/{id}/status", this::reportStatuses).as(Route.Access.WORKER),
                Route.post("/workers/{id}/drain", request -> setAvailability(request, Availability.DRAIN)),
                Route.post("/workers/{id}/activate", request -> setAvailability(request, Availability.ACTIVE)),
                Route.delete("/workers/{ref}", this::remove));
    }

    private CompletableFuture<ApiResponse> list(ApiRequest request) {
        boolean stale = request.query().getBoolean("stale", false);
        return Deadlines.within(timeout, () -> api.read(new Query.ListWorkers(), stale))
                .thenApply(workers -> ApiResponse.json(200, WorkerJson.withoutSecrets(workers)));
    }

    private CompletableFuture<ApiResponse> get(ApiRequest request) {
        String ref = request.param("ref");
        boolean stale = request.query().getBoolean("stale", false);
        return Deadlines.within(timeout, () -> api.read(new Query.GetWorker(ref), stale))
                .thenApply(worker -> TaskRoutes.isAbsent(worker)
                        ? ApiResponse.error(404, "no worker with name or id '" + ref + "'")
                        : ApiResponse.json(200, WorkerJson.withoutSecrets(worker)));
    }

    /** The answer carries the new session: the worker's secret for its heartbeats and reports. */
    private CompletableFuture<ApiResponse> register(ApiRequest request) {
        WorkerBodies.Registration r;
        try {
            r = WorkerBodies.registration(request.body());
        } catch (ValidationException e) {
            warn("registration", "refused a worker registration: " + e.getMessage() + " (field " + e.field() + ")");
            throw e;
        }
        Command command = new Command.RegisterWorker(r.id(), r.name(), r.host(), r.cpus(), r.memoryBytes(),
                r.labels(), UUID.randomUUID().toString(), Instant.now(), r.agentUrl(), r.secretHash());
        return Deadlines.within(timeout, () -> api.write(command))
                .thenApply(outcome -> {
                    if (outcome instanceof Outcome.Rejected(var reason, var message) && reason == Outcome.Reason.FORBIDDEN) {
                        warn("registration", "refused worker " + r.id() + ": " + message);
                    }
                    return OutcomeResponses.of(outcome instanceof Outcome.Accepted(var worker)
                            ? new Outcome.Accepted(WorkerJson.forItself(worker)) : outcome, 200);
                });
    }

    private CompletableFuture<ApiResponse> heartbeat(ApiRequest request) {
        String workerId = PathIds.of(request, "id");
        WorkerBodies.Heartbeat beat = WorkerBodies.heartbeat(request.body());
        ClientConnection watched = beat.leaving() ? ClientConnection.NONE : request.connection();
        return Deadlines.within(timeout, () -> api.heartbeat(workerId, beat.session(), watched))
                .thenApply(known -> {
                    if (Boolean.TRUE.equals(known)) {
                        return ApiResponse.json(200, Map.of("ok", true));
                    }
                    if (refusals.admit(workerId) >= 0) {
                        log.info("worker {}: heartbeat refused: unknown worker, outdated session or declared down",
                                workerId);
                    }
                    return ApiResponse.error(404, "unknown worker or session: register again");
                });
    }

    private CompletableFuture<ApiResponse> assignments(ApiRequest request) {
        String workerId = PathIds.of(request, "id");
        long after = request.query().getNonNegativeLong("after", 0);
        long waitMillis = Math.min(request.query().getNonNegativeLong("wait", DEFAULT_WAIT_MILLIS), MAX_WAIT_MILLIS);
        Duration wait = Duration.ofMillis(waitMillis);
        boolean changedOnly = request.query().getBoolean("changed", false);
        return Deadlines.within(wait.plus(timeout), () -> api.assignments(workerId, after, wait, changedOnly))
                .thenApply(assignments -> ApiResponse.json(200, assignments));
    }

    /** Many reports of one worker in one command: 200 {"accepted": n, "refused": [...]}, 409 for a stale session. */
    private CompletableFuture<ApiResponse> reportStatuses(ApiRequest request) {
        String workerId = PathIds.of(request, "id");
        WorkerBodies.StatusReports reports = WorkerBodies.statusReports(request.body());
        Command command = new Command.ReportTaskStatuses(workerId, reports.session(), reports.reports(), Instant.now());
        return Deadlines.within(timeout, () -> api.write(command))
                .thenApply(outcome -> OutcomeResponses.of(outcome, 200));
    }

    /** Forgets a worker declared down, by id or name: 200 {"removed": id}, 409 while it is not down. */
    private CompletableFuture<ApiResponse> remove(ApiRequest request) {
        Command command = new Command.RemoveWorker(request.param("ref"), Instant.now());
        return Deadlines.within(timeout, () -> api.write(command)).thenApply(outcome -> OutcomeResponses.of(outcome, 200));
    }

    /** Drain (move its tasks away, send it nothing new) or activate a worker, by id or name. */
    private CompletableFuture<ApiResponse> setAvailability(ApiRequest request, Availability availability) {
        Command command = new Command.SetWorkerAvailability(PathIds.of(request, "id"), availability, Instant.now());
        return Deadlines.within(timeout, () -> api.write(command))
                .thenApply(outcome -> OutcomeResponses.of(
                        outcome instanceof Outcome.Accepted(var worker) ? new Outcome.Accepted(WorkerJson.withoutSecrets(worker))
                                : outcome, 200));
    }

    /** A report the store refuses (stale session, a task the worker does not hold, a wrong transition) is logged. */
    private CompletableFuture<ApiResponse> reportStatus(ApiRequest request) {
        String workerId = request.param("id");
        String taskId = request.param("taskId");
        WorkerBodies.StatusReport report;
        try {
            PathIds.of(request, "id");
            PathIds.of(request, "taskId");
            report = WorkerBodies.statusReport(request.body());
        } catch (ValidationException e) {
            warn(workerId, "worker " + JsonFields.abbreviate(workerId) + ": refused a malformed report for task "
                    + JsonFields.abbreviate(taskId) + ": " + e.getMessage());
            throw e;
        }
        Command command = new Command.ReportTaskStatus(taskId, workerId, report.session(), report.state(),
                report.containerId(), report.exitCode(), report.error(), Instant.now());
        return Deadlines.within(timeout, () -> api.write(command))
                .thenApply(outcome -> {
                    if (outcome instanceof Outcome.Rejected rejected) {
                        warn(workerId, "worker " + JsonFields.abbreviate(workerId) + ": refused report '"
                                + report.state().json() + "' for task " + JsonFields.abbreviate(taskId) + ": "
                                + rejected.message());
                    }
                    return OutcomeResponses.of(outcome, 200);
                });
    }

    /** One line per refusal, within the source's budget; control characters from the request are masked. */
    private void warn(String source, String message) {
        long dropped = refusals.admit(source);
        if (dropped >= 0) {
            String line = message.replaceAll("\\p{Cntrl}", "?");
            log.warn(dropped == 0 ? line : line + " (" + dropped + " similar lines dropped)");
        }
    }
}
