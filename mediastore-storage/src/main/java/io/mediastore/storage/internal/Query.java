package io.mediastore.storage.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The query parameters of a store URI; any parameter a provider does not know is an error, not ignored. */
public final class Query {
    private final Map<String, List<String>> params;

    private Query(Map<String, List<String>> params) {
        this.params = params;
    }

    /** Parses the raw query of a hierarchical URI, or everything after '?' of an opaque one. */
    public static Query of(URI uri, Set<String> allowed) {
        String raw = uri.isOpaque() ? after(uri.getRawSchemeSpecificPart()) : uri.getRawQuery();
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("malformed parameter in a " + uri.getScheme() + " URI");
                }
                String name = decode(pair.substring(0, eq));
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException("unknown parameter '" + name + "' in a " + uri.getScheme() + " URI; known: " + allowed);
                }
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(decode(pair.substring(eq + 1)));
            }
        }
        return new Query(params);
    }

    private static String after(String ssp) {
        int q = ssp.indexOf('?');
        return q < 0 ? null : ssp.substring(q + 1);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed percent-encoding in a store URI");
        }
    }

    public List<String> all(String name) {
        return params.getOrDefault(name, List.of());
    }

    public Optional<String> one(String name) {
        List<String> v = all(name);
        if (v.size() > 1) {
            throw new IllegalArgumentException("parameter '" + name + "' given more than once");
        }
        return v.stream().findFirst();
    }

    public boolean bool(String name, boolean dflt) {
        return one(name).map(v -> switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("parameter '" + name + "' must be true or false");
        }).orElse(dflt);
    }

    public int integer(String name, int dflt) {
        try {
            return one(name).map(Integer::parseInt).orElse(dflt);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("parameter '" + name + "' must be an integer");
        }
    }
}
