package dev.cube.gateway;

import dev.cube.events.EventJournal;
import dev.cube.store.Json;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /events[?since=N]}: every task, worker and manager change as newline-delimited JSON,
 * streamed until the client leaves. Without {@code since} only new events; with it, first the kept
 * events whose index is above N. When some of those are no longer kept, the first line says so
 * ({@code "type":"events-dropped"}) and the stream goes on from the oldest kept. A blank line every
 * {@link #KEEP_ALIVE} keeps idle connections open.
 */
final class EventRoutes {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);
    static final String NDJSON = "application/x-ndjson";
    private static final byte[] BLANK_LINE = {'\n'};
    private static final ScheduledExecutorService keepAlives = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().name("cube-events-keepalive").daemon().unstarted(r));

    private final ClusterApi api;

    EventRoutes(ClusterApi api) {
        this.api = api;
    }

    List<Route> routes() {
        return List.of(Route.get("/events", this::events));
    }

    private CompletableFuture<ApiResponse> events(ApiRequest request) {
        Long since = request.query().get("since") == null ? null : request.query().getNonNegativeLong("since", 0);
        EventJournal journal = api.events();
        if (journal == null) {
            return CompletableFuture.completedFuture(ApiResponse.error(501, "this gateway keeps no event journal"));
        }
        return CompletableFuture.completedFuture(ApiResponse.streaming(200, NDJSON, sink -> {
            EventJournal.Subscription subscription = journal.subscribe(since, new EventJournal.Subscriber() {
                @Override
                public void onEvent(long index, byte[] line) {
                    sink.write(line);
                }

                @Override
                public void onGap(EventJournal.Gap gap) {
                    sink.write(gapLine(gap));
                }
            });
            sink.onClose(subscription.cancel());
            ScheduledFuture<?> keepAlive = keepAlives.scheduleAtFixedRate(() -> sink.write(BLANK_LINE),
                    KEEP_ALIVE.toMillis(), KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS);
            sink.onClose(() -> keepAlive.cancel(false));
        }));
    }

    private byte[] gapLine(EventJournal.Gap gap) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("since", gap.since());
        payload.put("oldestKept", gap.oldestKept());
        payload.put("message", "events after " + gap.since() + " up to " + gap.coveredAfter()
                + " are no longer kept by this manager; the stream goes on from index " + gap.oldestKept());
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("index", gap.coveredAfter());
        event.put("topic", "manager");
        event.put("type", "events-dropped");
        event.put("key", api.health().path("id").asText("manager"));
        event.put("payload", payload);
        byte[] json = Json.bytes(event);
        byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
        line[json.length] = '\n';
        return line;
    }
}
