package dev.cube.security;

import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * How a manager proves to a worker's agent that it may read container logs: an HMAC-SHA256, keyed
 * with the worker's current session (which only the worker and the managers know), of the worker id,
 * the request's query and an expiry time. The session itself never crosses the wire to the agent,
 * and a signature fits one request for a minute at most.
 */
public final class AgentSignature {
    /** The request header that carries {@code <expires epoch second>.<hex HMAC>}. */
    public static final String HEADER = "X-Cube-Signature";
    /** How long a signature a manager makes is good for. */
    public static final long LIFETIME_SECONDS = 60;
    /** Clocks of managers and workers may differ by this much. */
    static final long SKEW_SECONDS = 60;

    private AgentSignature() {}

    /** The header value for a request with {@code rawQuery} to the agent of {@code workerId}. */
    public static String sign(String session, String workerId, String rawQuery, long nowEpochSecond) {
        long expires = nowEpochSecond + LIFETIME_SECONDS;
        return expires + "." + HexFormat.of().formatHex(mac(session, workerId, rawQuery, expires));
    }

    /** Whether {@code header} signs this request with {@code session} and has not expired. */
    public static boolean verify(String session, String workerId, String rawQuery, String header, long nowEpochSecond) {
        if (session == null || header == null) return false;
        int dot = header.indexOf('.');
        if (dot < 1) return false;
        long expires;
        byte[] given;
        try {
            expires = Long.parseLong(header.substring(0, dot));
            given = HexFormat.of().parseHex(header.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (nowEpochSecond > expires + SKEW_SECONDS || expires > nowEpochSecond + LIFETIME_SECONDS + SKEW_SECONDS) {
            return false;
        }
        return MessageDigest.isEqual(given, mac(session, workerId, rawQuery, expires));
    }

    private static byte[] mac(String session, String workerId, String rawQuery, long expires) {
        return Hmac.sha256(session, workerId + "\n" + (rawQuery == null ? "" : rawQuery) + "\n" + expires);
    }
}
