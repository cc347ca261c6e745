package io.mediastore.samples.server.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Default-deny routing: only declared (method, path pattern) pairs reach a handler. Patterns are literal
 * segments and {@code {name}} segments matching one non-empty segment of {@code [A-Za-z0-9._~-]}.
 */
public final class Router {
    /** What a route needs before its handler runs. */
    public enum Access {
        /** No session needed (login, health, token-guarded media). */
        PUBLIC,
        /** A session; allowed while the password must still be changed (me, logout, password). */
        SESSION_ANY,
        /** A session with a usable account. */
        SESSION
    }

    @FunctionalInterface
    public interface Handler {
        void handle(Exchange ex) throws Exception;
    }

    public record Route(String method, String[] segments, Access access, boolean csrf, boolean cors, Handler handler) {
    }

    public record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String pattern, Access access, Handler handler) {
        boolean stateChanging = !method.equals("GET") && !method.equals("HEAD");
        return add(method, pattern, access, stateChanging, true, handler);
    }

    public Router add(String method, String pattern, Access access, boolean csrf, boolean cors, Handler handler) {
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /");
        }
        routes.add(new Route(method, pattern.substring(1).split("/"), access, csrf, cors, handler));
        return this;
    }

    /** The route for this method and path; null when the path matches no route at all. */
    public Match match(String method, String path) {
        String[] parts = split(path);
        if (parts == null) {
            return null;
        }
        for (Route r : routes) {
            if (!r.method.equals(method)) {
                continue;
            }
            Map<String, String> params = bind(r.segments, parts);
            if (params != null) {
                return new Match(r, params);
            }
        }
        return null;
    }

    /** The methods declared for this path (empty: an undeclared path). */
    public Set<String> methodsFor(String path) {
        String[] parts = split(path);
        Set<String> out = new LinkedHashSet<>();
        if (parts == null) {
            return out;
        }
        for (Route r : routes) {
            if (bind(r.segments, parts) != null) {
                out.add(r.method);
            }
        }
        return out;
    }

    private static String[] split(String path) {
        if (path == null || !path.startsWith("/") || path.length() > 2048) {
            return null;
        }
        String[] parts = path.substring(1).split("/", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".") || p.equals("..")) {
                return null;
            }
        }
        return parts;
    }

    private static Map<String, String> bind(String[] pattern, String[] parts) {
        if (pattern.length != parts.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                if (!parts[i].matches("[A-Za-z0-9._~-]{1,200}")) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                params.put(p.substring(1, p.length() - 1), parts[i]);
            } else if (!p.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }
}
