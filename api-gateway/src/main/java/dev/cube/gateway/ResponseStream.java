package dev.cube.gateway;

/**
 * A response body written over time (HTTP chunked), such as a log that is followed or the event
 * stream. The gateway writes the status and headers, then calls {@link #start} on the connection's
 * event loop; the stream writes through the sink from any thread and ends it when done. Later
 * requests on the same connection wait until it ends.
 */
@FunctionalInterface
public interface ResponseStream {

    /** Begins the body; must not block (hand slow work to another thread). */
    void start(ChunkSink sink);

    /** Where a {@link ResponseStream} writes. Thread-safe. */
    interface ChunkSink {

        /** Queues bytes to send; false (and nothing sent) once the stream ended or the client left. */
        boolean write(byte[] bytes);

        /** Ends the body; idempotent. */
        void end();

        /** False once the stream ended or the client went away. */
        boolean isOpen();

        /** Runs {@code action} once when the stream ends for either reason (at once if it has). */
        void onClose(Runnable action);
    }
}
