package dev.cube.gateway;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers for a request that failed: bad input 400, no leader or no answer in time 503 (with
 * {@code Retry-After}), anything else 500, logged once on one line.
 */
final class FailureResponses {
    private static final Logger log = LoggerFactory.getLogger(FailureResponses.class);

    private FailureResponses() {}

    static ApiResponse of(Throwable failure, String method, String uri) {
        Throwable cause = unwrap(failure);
        return switch (cause) {
            case ValidationException invalid -> ApiResponse.error(400, invalid.getMessage(), invalid.field());
            case NoLeaderException noLeader -> ApiResponse.error(503, "no leader is known right now: "
                    + "an election is under way or the quorum is lost; retry shortly")
                    .withHeader("Retry-After", "1");
            case TimeoutException timeout -> ApiResponse.error(503, "the cluster did not answer in time; "
                    + (method.equals("GET") ? "retry shortly" : "the request may still take effect: retry shortly "
                    + "(a submission retried with the same name answers 409 naming the task if the first went through)"))
                    .withHeader("Retry-After", "1");
            default -> {
                log.error("500 for {} {}: {}", method, uri, oneLine(cause));
                yield ApiResponse.error(500, "internal error: " + cause.getClass().getSimpleName()
                        + " (logged on the manager)");
            }
        };
    }

    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** The exception, its message and where it was thrown, without a multi-line trace. */
    private static String oneLine(Throwable cause) {
        StackTraceElement[] trace = cause.getStackTrace();
        String where = trace.length == 0 ? "" : " at " + trace[0];
        String text = cause + where;
        return text.replace('\n', ' ').replace('\r', ' ');
    }
}
