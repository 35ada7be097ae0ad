package dev.cube.gateway;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Finds the route for a method and a decoded path; literal segments win over parameters. */
public final class Router {

    /** What a request resolves to. */
    public sealed interface Resolution {
        record Found(Route route, Map<String, String> params) implements Resolution {}

        record NotFound() implements Resolution {}

        /** The path exists, the method does not; {@code allowed} feeds the Allow header. */
        record MethodNotAllowed(String template, Set<String> allowed) implements Resolution {}
    }

    private static final List<String> METHOD_ORDER = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private final List<Route> routes;

    public Router(List<Route> routes) {
        this.routes = routes.stream()
                .sorted(Comparator.comparingInt(route -> route.template().parameterCount()))
                .toList();
    }

    public Resolution resolve(String method, List<String> decodedSegments) {
        Set<String> allowed = new LinkedHashSet<>();
        String template = null;
        for (Route route : routes) {
            Optional<Map<String, String>> params = route.template().match(decodedSegments);
            if (params.isEmpty()) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Resolution.Found(route, params.get());
            }
            allowed.add(route.method());
            template = template == null ? route.template().text() : template;
        }
        if (allowed.isEmpty()) {
            return new Resolution.NotFound();
        }
        Set<String> ordered = new java.util.TreeSet<>(Comparator.comparingInt(Router::methodRank)
                .thenComparing(Comparator.naturalOrder()));
        ordered.addAll(allowed);
        return new Resolution.MethodNotAllowed(template, ordered);
    }

    /** The order methods are listed in an Allow header: reads first, as is customary. */
    private static int methodRank(String method) {
        int rank = METHOD_ORDER.indexOf(method);
        return rank < 0 ? METHOD_ORDER.size() : rank;
    }

    public List<Route> routes() {
        return routes;
    }
}
