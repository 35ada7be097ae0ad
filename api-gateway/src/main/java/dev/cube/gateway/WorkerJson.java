package dev.cube.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Workers as users see them: without the session and the hash of the worker's secret. */
final class WorkerJson {
    private static final String SESSION = "session";
    private static final String SECRET_HASH = "secretHash";

    private WorkerJson() {}

    /** A worker object or an array of them, with {@code session} and {@code secretHash} removed (in place). */
    static JsonNode withoutSecrets(JsonNode workers) {
        if (workers instanceof ObjectNode worker) {
            worker.remove(SESSION);
            worker.remove(SECRET_HASH);
        } else if (workers != null && workers.isArray()) {
            workers.forEach(WorkerJson::withoutSecrets);
        }
        return workers;
    }

    /** The worker as its own registration answer shows it: with its new session, without the hash. */
    static JsonNode forItself(JsonNode worker) {
        if (worker instanceof ObjectNode object) object.remove(SECRET_HASH);
        return worker;
    }
}
