package dev.cube.gateway;

/** No leader is known right now (an election is under way, or the quorum is lost). */
public class NoLeaderException extends RuntimeException {
    public NoLeaderException(String message, Throwable cause) {
        super(message, cause);
    }
}
