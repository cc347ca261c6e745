package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.internal.UrlCanon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signed URLs in the manner of CloudFront's: the URL carries a token in the {@value #TOKEN_PARAM}
 * query parameter whose resource is the URL's canonical path, plus its canonical query when the
 * grant is for an exact path. Paths and queries are canonicalised on both sides (see
 * {@link UrlCanon}), so {@code /a b}, {@code /a%20b} and {@code /a%20b} re-encoded by a proxy all
 * verify alike, while {@code +} in a path stays a plus sign.
 *
 * <p>An exact grant signs the path and every query parameter: adding, removing or changing one is
 * refused ({@code WRONG_RESOURCE}). A prefix grant (for an HLS playlist whose segment and key URLs
 * share a directory) covers every path under the prefix; it signs no query parameters.
 */
public final class SignedUrls {
    /** The query parameter that carries the token. */
    public static final String TOKEN_PARAM = "ms_token";

    private final TokenService tokens;

    public SignedUrls(TokenService tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * Signs a link.
     *
     * @param path  the URL path, raw or decoded (spaces, '+', '~', percent-escapes), starting with '/'
     * @param query decoded query parameters to sign (exact grants only), in any order
     * @param spec  the grant: its resource is {@code Resource.exact(path)} (in any spelling of the path)
     *              or a {@code Resource.prefix} that covers the path
     * @return the path and query to put after the host, for example {@code /a%20b.mp4?ms_token=...}
     */
    public String sign(String path, Map<String, String> query, TokenSpec spec) {
        String canonicalPath = UrlCanon.path(path);
        List<Map.Entry<String, String>> params = new ArrayList<>(new LinkedHashMap<>(query).entrySet());
        for (Map.Entry<String, String> e : params) {
            if (e.getKey().equals(TOKEN_PARAM)) {
                throw new IllegalArgumentException(TOKEN_PARAM + " is reserved for the token");
            }
        }
        Resource resource;
        if (spec.resource().prefix()) {
            Resource prefix = Resource.prefix(UrlCanon.path(spec.resource().value()));
            if (!params.isEmpty()) {
                throw new IllegalArgumentException("query parameters can only be signed for an exact path");
            }
            if (!prefix.covers(canonicalPath)) {
                throw new IllegalArgumentException("the prefix does not cover the path");
            }
            resource = prefix;
        } else {
            if (!UrlCanon.path(spec.resource().value()).equals(canonicalPath)) {
                throw new IllegalArgumentException("the spec's exact resource is not this path");
            }
            String q = UrlCanon.query(params);
            resource = Resource.exact(q.isEmpty() ? canonicalPath : canonicalPath + "?" + q);
        }
        IssuedToken issued = tokens.issue(spec.toBuilder().resource(resource).build());
        String q = UrlCanon.query(params);
        return canonicalPath + "?" + (q.isEmpty() ? "" : q + "&") + TOKEN_PARAM + "=" + issued.token();
    }

    /**
     * Verifies an incoming request target (the raw path and query as received, for example a servlet's
     * {@code getRequestURI() + "?" + getQueryString()}) for an action.
     *
     * @throws TokenRejectedException MALFORMED if the target has no token or does not parse, else the
     *                                token's own reason
     */
    public Grant verify(String requestTarget, String action, ClientContext client) {
        Target t = Target.parse(requestTarget, TOKEN_PARAM, true);
        return tokens.verify(t.token, new AccessRequest(t.resource, action, client), t.path);
    }

    /** A parsed request target: the resource to check and the token found in it. */
    static final class Target {
        final String path;
        final String resource;
        final String token;

        private Target(String path, String resource, String token) {
            this.path = path;
            this.resource = resource;
            this.token = token;
        }

        static Target parse(String requestTarget, String tokenParam, boolean tokenInQuery) {
            Objects.requireNonNull(requestTarget, "requestTarget");
            int hash = requestTarget.indexOf('#');
            String target = hash < 0 ? requestTarget : requestTarget.substring(0, hash);
            int qm = target.indexOf('?');
            String rawPath = qm < 0 ? target : target.substring(0, qm);
            String rawQuery = qm < 0 ? "" : target.substring(qm + 1);
            try {
                String path = UrlCanon.path(rawPath);
                String token = null;
                List<Map.Entry<String, String>> rest = new ArrayList<>();
                for (Map.Entry<String, String> e : UrlCanon.parseQuery(rawQuery)) {
                    if (tokenInQuery && e.getKey().equals(tokenParam)) {
                        if (token != null) {
                            throw new TokenRejectedException(Reason.MALFORMED, "more than one token parameter");
                        }
                        token = e.getValue();
                    } else {
                        rest.add(e);
                    }
                }
                if (tokenInQuery && token == null) {
                    throw new TokenRejectedException(Reason.MALFORMED, "no " + tokenParam + " parameter");
                }
                String q = UrlCanon.query(rest);
                return new Target(path, q.isEmpty() ? path : path + "?" + q, token);
            } catch (IllegalArgumentException e) {
                throw new TokenRejectedException(Reason.MALFORMED, "request target does not parse");
            }
        }
    }
}
