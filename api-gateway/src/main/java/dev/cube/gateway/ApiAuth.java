package dev.cube.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * Who may call what. With API tokens configured, every route but the {@link Route.Access#PUBLIC}
 * ones needs {@code Authorization: Bearer <token>}: a missing or unknown token gets 401, a token
 * whose role does not allow the route 403. Worker routes take the join token (or an operator
 * token); the join token opens nothing else. Without tokens, user routes are open (the trusted
 * network of the quick start); without a join token, so are worker routes.
 *
 * <p>Tokens are compared in constant time (as SHA-256 digests, so their lengths do not show
 * either) and never logged: {@link ApiToken#toString()} leaves the secret out.
 */
public final class ApiAuth {
    /** What a token allows. */
    public enum Role {
        OPERATOR("operator"),
        READ_ONLY("read-only");

        private final String text;

        Role(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        /** "operator" or "read-only" (also "readonly", "read_only"). */
        public static Role parse(String text) {
            String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
            return switch (t) {
                case "operator" -> OPERATOR;
                case "read-only", "readonly" -> READ_ONLY;
                default -> throw new IllegalArgumentException("role must be operator or read-only, not '" + text + "'");
            };
        }
    }

    /** A named client token. */
    public record ApiToken(String name, String token, Role role) {
        @Override
        public String toString() {
            return "ApiToken[name=" + name + ", role=" + role.text() + "]";
        }
    }

    /** The outcome of a check. */
    public sealed interface Decision {
        /** {@code who} names the caller for logs: a token's name, "worker" or "anonymous". */
        record Allowed(String who) implements Decision {}

        record Denied(int status, String message) implements Decision {}
    }

    private static final ApiAuth NONE = new ApiAuth(List.of(), null);

    private final List<ApiToken> tokens;
    private final List<byte[]> digests;
    private final byte[] joinDigest;

    public ApiAuth(List<ApiToken> tokens, String joinToken) {
        this.tokens = List.copyOf(tokens);
        this.digests = this.tokens.stream().map(t -> digest(t.token())).toList();
        this.joinDigest = joinToken == null || joinToken.isEmpty() ? null : digest(joinToken);
    }

    /** Everything open. */
    public static ApiAuth none() {
        return NONE;
    }

    /** True when user routes need a token. */
    public boolean tokensRequired() {
        return !tokens.isEmpty();
    }

    /** True when worker routes need the join token. */
    public boolean joinTokenRequired() {
        return joinDigest != null;
    }

    /** Decides on a call to a route of {@code access}, given its Authorization header (or null). */
    public Decision check(Route.Access access, String authorization) {
        if (access == Route.Access.PUBLIC) {
            return new Decision.Allowed("anonymous");
        }
        boolean open = access == Route.Access.WORKER ? tokens.isEmpty() && joinDigest == null : tokens.isEmpty();
        if (open) {
            return new Decision.Allowed("anonymous");
        }
        String presented = bearer(authorization);
        if (presented == null) {
            return new Decision.Denied(401, "this call needs an API token: send 'Authorization: Bearer <token>'");
        }
        byte[] digest = digest(presented);
        ApiToken token = null;
        for (int i = 0; i < tokens.size(); i++) {   // no early exit: every comparison is made
            if (MessageDigest.isEqual(digest, digests.get(i)) && token == null) {
                token = tokens.get(i);
            }
        }
        boolean join = joinDigest != null && MessageDigest.isEqual(digest, joinDigest);
        if (token == null && !join) {
            return new Decision.Denied(401, "the API token is not valid");
        }
        return switch (access) {
            case WORKER -> join ? new Decision.Allowed("worker")
                    : token.role() == Role.OPERATOR ? new Decision.Allowed(token.name())
                    : new Decision.Denied(403, "token '" + token.name() + "' is read-only: worker calls need the "
                            + "join token");
            case READ -> token != null ? new Decision.Allowed(token.name())
                    : new Decision.Denied(403, "the join token admits workers only");
            case WRITE -> token != null && token.role() == Role.OPERATOR ? new Decision.Allowed(token.name())
                    : new Decision.Denied(403, token == null ? "the join token admits workers only"
                            : "token '" + token.name() + "' is read-only: this call needs an operator token");
            case PUBLIC -> new Decision.Allowed("anonymous");
        };
    }

    /** The token of {@code Bearer <token>}, or null. */
    private static String bearer(String authorization) {
        if (authorization == null || authorization.length() < 7
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
