package dev.cube.gateway;

import java.util.function.Consumer;

/**
 * The connection a request arrived on, for whoever must know when it ends: the leader watches the
 * connection that carries a worker's heartbeats, because a worker process that dies has its
 * connections closed by its kernel at once, long before its heartbeat deadline.
 */
public interface ClientConnection {

    /** Who ended a connection: the peer (its process exited or closed it), or this server (idle, error, shutdown). */
    enum ClosedBy { PEER, SERVER }

    /**
     * Calls {@code listener} once when the connection has closed, at once if it already has. It
     * runs on a gateway thread: it must not block.
     */
    void whenClosed(Consumer<ClosedBy> listener);

    /** A connection that never reports a close: for requests that did not come over a socket. */
    ClientConnection NONE = listener -> { };
}
