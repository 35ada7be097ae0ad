package dev.cube.gateway;

import dev.cube.store.Outcome;

/**
 * Answers for what a command produced. A rejection for an illegal state change (INVALID) or a stale
 * writer (STALE) is a conflict with the current state: 409, as is CONFLICT; NOT_FOUND is 404;
 * FORBIDDEN (a worker id bound to another secret) is 403.
 */
final class OutcomeResponses {

    private OutcomeResponses() {}

    static ApiResponse of(Outcome outcome, int acceptedStatus) {
        return switch (outcome) {
            case Outcome.Accepted accepted -> ApiResponse.json(acceptedStatus, accepted.value());
            case Outcome.Rejected rejected -> rejected(rejected);
            case Outcome.Batch batch -> unexpected(batch);
        };
    }

    /** The gateway writes single commands; a batch outcome here is a bug of the manager. */
    static ApiResponse unexpected(Outcome.Batch batch) {
        throw new IllegalStateException("a single command came back with " + batch.outcomes().size() + " outcomes");
    }

    static ApiResponse rejected(Outcome.Rejected rejected) {
        int status = switch (rejected.reason()) {
            case NOT_FOUND -> 404;
            case CONFLICT, STALE, INVALID -> 409;
            case FORBIDDEN -> 403;
        };
        String message = rejected.message() == null ? rejected.reason().name().toLowerCase() : rejected.message();
        return ApiResponse.error(status, message);
    }
}
