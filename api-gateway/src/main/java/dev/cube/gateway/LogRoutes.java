package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cube.security.AgentSignature;
import dev.cube.store.Query;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /tasks/{ref}/logs[?tail=N][&follow=true]}: the output of the task's container, from any
 * manager. The gateway looks up the task's worker and proxies the stream its agent serves (the
 * {@code agentUrl} the worker registered); with {@code follow} the stream lasts until the container
 * stops or the client leaves.
 */
final class LogRoutes {
    static final String TEXT = "text/plain; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(LogRoutes.class);
    private static final Duration AGENT_TIMEOUT = Duration.ofSeconds(10);

    private final ClusterApi api;
    private final Duration timeout;
    private final HttpClient agents = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .version(HttpClient.Version.HTTP_1_1).build();

    LogRoutes(ClusterApi api, Duration timeout) {
        this.api = api;
        this.timeout = timeout;
    }

    List<Route> routes() {
        return List.of(Route.get("/tasks/{ref}/logs", this::logs));
    }

    private CompletableFuture<ApiResponse> logs(ApiRequest request) {
        String ref = request.param("ref");
        String tail = request.query().get("tail") == null ? null
                : Long.toString(request.query().getNonNegativeLong("tail", 0));
        boolean follow = request.query().getBoolean("follow", false);
        boolean stale = request.query().getBoolean("stale", false);
        return Deadlines.within(timeout, () -> api.read(new Query.GetTask(ref), stale)).thenCompose(task -> {
            if (TaskRoutes.isAbsent(task)) {
                return done(ApiResponse.error(404, "no task with name or id '" + ref + "'"));
            }
            String workerId = task.path("workerId").asText(null);
            if (workerId == null) {
                return done(ApiResponse.error(409, "task " + describe(task) + " is " + task.path("state").asText()
                        + " and has not been placed on a worker, so it has no logs yet"));
            }
            return fromAgent(task, workerId, tail, follow, stale, true);
        });
    }

    /**
     * Reads the task's worker, then asks its agent. An agent that refuses the signature (401) may
     * have a newer session than the worker read (it re-registered meanwhile, or {@code stale} read
     * an older copy): the worker is read again from the leader and the agent asked once more.
     */
    private CompletableFuture<ApiResponse> fromAgent(JsonNode task, String workerId, String tail, boolean follow,
                                                     boolean stale, boolean mayRetry) {
        return Deadlines.within(timeout, () -> api.read(new Query.GetWorker(workerId), stale)).thenCompose(worker -> {
            String agentUrl = TaskRoutes.isAbsent(worker) ? null : worker.path("agentUrl").asText(null);
            if (agentUrl == null) {
                return done(ApiResponse.error(409, "worker " + workerId + " of task " + describe(task)
                        + " registered no agent URL, so its logs cannot be fetched"));
            }
            String session = worker.path("session").asText("");
            if (session.isEmpty()) {
                return done(ApiResponse.error(409, "worker " + workerId + " of task " + describe(task)
                        + " has no session (it has not registered), so its agent would refuse us"));
            }
            Supplier<CompletableFuture<ApiResponse>> onRefused = mayRetry
                    ? () -> fromAgent(task, workerId, tail, follow, false, false) : null;
            return proxy(agentUrl, session, task, tail, follow, onRefused);
        });
    }

    /**
     * Asks the agent, signed with the worker's session ({@link AgentSignature}): agents serve logs to
     * managers only. A 401 goes to {@code onRefused} when there is one.
     */
    private CompletableFuture<ApiResponse> proxy(String agentUrl, String session, JsonNode task, String tail,
                                                 boolean follow, Supplier<CompletableFuture<ApiResponse>> onRefused) {
        String query = "task=" + enc(task.path("id").asText()) + "&attempt=" + task.path("attempt").asInt(1)
                + (tail == null ? "" : "&tail=" + tail) + "&follow=" + follow;
        URI uri = URI.create(agentUrl.replaceAll("/+$", "") + "/containers/logs?" + query);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(AGENT_TIMEOUT).GET()
                .header(AgentSignature.HEADER, AgentSignature.sign(session, task.path("workerId").asText(), query,
                        java.time.Instant.now().getEpochSecond()))
                .build();
        return agents.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
                .handle((response, failure) -> {
                    if (failure != null) {
                        return done(ApiResponse.error(502, "the agent of worker " + task.path("workerId").asText()
                                + " at " + agentUrl + " cannot be reached: " + FailureResponses.unwrap(failure)));
                    }
                    if (response.statusCode() == 401 && onRefused != null) {
                        closeQuietly(response.body());
                        return onRefused.get();
                    }
                    if (response.statusCode() != 200) {
                        return done(relayError(response, agentUrl));
                    }
                    return done(ApiResponse.streaming(200, TEXT, sink -> Thread.ofVirtual()
                            .name("cube-logs-" + task.path("id").asText())
                            .start(() -> copy(response.body(), sink))));
                })
                .thenCompose(answer -> answer);
    }

    /** Copies the agent's stream to the client as it comes, until either side ends. */
    private static void copy(InputStream in, ResponseStream.ChunkSink sink) {
        sink.onClose(() -> closeQuietly(in));
        byte[] buffer = new byte[16 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (n > 0 && !sink.write(Arrays.copyOf(buffer, n))) {
                    break;
                }
            }
        } catch (IOException e) {
            if (sink.isOpen()) {
                log.debug("log stream from the agent broke off: {}", e.toString());
            }
        } finally {
            sink.end();
        }
    }

    private static ApiResponse relayError(HttpResponse<InputStream> response, String agentUrl) {
        String text;
        try (InputStream in = response.body()) {
            text = new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            text = e.toString();
        }
        if (response.statusCode() == 404) {
            return new ApiResponse(404, ApiResponse.JSON, text.getBytes(StandardCharsets.UTF_8), java.util.Map.of());
        }
        return ApiResponse.error(502, "the worker agent at " + agentUrl + " answered " + response.statusCode()
                + ": " + JsonFields.abbreviate(text));
    }

    private static String describe(JsonNode task) {
        return task.path("name").asText() + " (" + task.path("id").asText() + ")";
    }

    private static CompletableFuture<ApiResponse> done(ApiResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the stream is being abandoned
        }
    }
}
