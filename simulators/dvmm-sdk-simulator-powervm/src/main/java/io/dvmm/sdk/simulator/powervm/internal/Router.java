package io.dvmm.sdk.simulator.powervm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The HMC's URI space: routes in registration order, the first whose template fits wins. */
public final class Router {

    /** A route with the values its template took from a path. */
    public record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router get(String template, Route.Handler h) {
        return add("GET", template, h, true, true);
    }

    public Router put(String template, Route.Handler h) {
        return add("PUT", template, h, true, true);
    }

    public Router post(String template, Route.Handler h) {
        return add("POST", template, h, true, true);
    }

    public Router delete(String template, Route.Handler h) {
        return add("DELETE", template, h, true, true);
    }

    public Router add(String method, String template, Route.Handler h, boolean session, boolean locked) {
        routes.add(new Route(method, template, h, session, locked));
        return this;
    }

    /** The route for a method and path, or null. */
    public Match find(String method, String path) {
        for (Route r : routes) {
            if (r.method().equals(method)) {
                Map<String, String> p = r.match(path);
                if (p != null) {
                    return new Match(r, p);
                }
            }
        }
        return null;
    }

    /** True when some route serves the path with another method (405 rather than 404). */
    public boolean knowsPath(String path) {
        return routes.stream().anyMatch(r -> r.match(path) != null);
    }

    /** Every operation key template, for documentation and tests. */
    public List<String> keys() {
        return routes.stream().map(r -> r.method() + " " + r.template()).toList();
    }
}
