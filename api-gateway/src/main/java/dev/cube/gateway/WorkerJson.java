package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Workers as users see them: without the session, which is the worker's secret. */
final class WorkerJson {
    private static final String SESSION = "session";

    private WorkerJson() {}

    /** A worker object or an array of them, with {@code session} removed (in place). */
    static JsonNode withoutSecrets(JsonNode workers) {
        if (workers instanceof ObjectNode worker) {
            worker.remove(SESSION);
        } else if (workers != null && workers.isArray()) {
            workers.forEach(WorkerJson::withoutSecrets);
        }
        return workers;
    }
}
