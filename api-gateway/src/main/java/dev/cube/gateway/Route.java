package dev.cube.gateway;

/**
 * One method on one path template, what answers it, and who may call it. {@code get} routes are
 * reads and {@code post}/{@code delete} routes writes, unless {@link #as} says otherwise.
 */
public record Route(String method, PathTemplate template, RouteHandler handler, Access access) {

    /** Who may call a route when the gateway has an {@link ApiAuth}. */
    public enum Access {
        /** Anyone, without a token (GET /health, for load balancers). */
        PUBLIC,
        /** A read-only or operator token. */
        READ,
        /** An operator token. */
        WRITE,
        /** The worker agent: the join token (or an operator token). */
        WORKER
    }

    public Route(String method, PathTemplate template, RouteHandler handler) {
        this(method, template, handler, method.equals("GET") || method.equals("HEAD") ? Access.READ : Access.WRITE);
    }

    public static Route get(String template, RouteHandler handler) {
        return new Route("GET", PathTemplate.of(template), handler);
    }

    public static Route post(String template, RouteHandler handler) {
        return new Route("POST", PathTemplate.of(template), handler);
    }

    public static Route delete(String template, RouteHandler handler) {
        return new Route("DELETE", PathTemplate.of(template), handler);
    }

    /** This route with another access rule. */
    public Route as(Access newAccess) {
        return new Route(method, template, handler, newAccess);
    }
}
