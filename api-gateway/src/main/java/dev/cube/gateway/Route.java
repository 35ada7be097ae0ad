package dev.cube.gateway;

/** One method on one path template, and what answers it. */
public record Route(String method, PathTemplate template, RouteHandler handler) {

    public static Route get(String template, RouteHandler handler) {
        return new Route("GET", PathTemplate.of(template), handler);
    }

    public static Route post(String template, RouteHandler handler) {
        return new Route("POST", PathTemplate.of(template), handler);
    }

    public static Route delete(String template, RouteHandler handler) {
        return new Route("DELETE", PathTemplate.of(template), handler);
    }
}
