package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.internal.UrlCanon;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Signed cookies scoped to a path prefix, the usual way to protect the many segment and key URLs of one
 * HLS view (as CloudFront signed cookies do): one {@code Set-Cookie} with a prefix grant, its
 * {@code Path} set to the prefix, {@code Secure; HttpOnly; SameSite=Strict}.
 *
 * <p>Long views: call {@link #refresh(Grant)} with the grant of each verified request; once less than
 * half of the token's lifetime is left it returns a fresh {@code Set-Cookie} with the same grant and a
 * new expiry, so playback never breaks at the first token's expiry. A revoked subject stops verifying,
 * so it stops refreshing too.
 */
public final class SignedCookies {
    /** The cookie's name. */
    public static final String COOKIE_NAME = "ms_token";

    private final TokenService tokens;

    public SignedCookies(TokenService tokens) {
        this.tokens = Objects.requireNonNull(tokens, "tokens");
    }

    /**
     * Issues a cookie for a prefix grant.
     *
     * @param spec a grant whose resource is a {@code Resource.prefix} URL path starting with '/'
     *             and with no use limit (a view fetches many URLs)
     * @return the {@code Set-Cookie} header value
     */
    public String issue(TokenSpec spec) {
        if (!spec.resource().prefix()) {
            throw new IllegalArgumentException("a signed cookie needs a prefix resource");
        }
        if (spec.maxUses() != 0) {
            throw new IllegalArgumentException("a signed cookie cannot be limited-use: one view fetches many URLs");
        }
        Resource prefix = Resource.prefix(UrlCanon.path(spec.resource().value()));
        IssuedToken t = tokens.issue(spec.toBuilder().resource(prefix).build());
        return setCookie(t);
    }

    private String setCookie(IssuedToken t) {
        long maxAge = Math.max(0, Duration.between(tokens.clock().instant(), t.grant().expiresAt()).getSeconds());
        return COOKIE_NAME + "=" + t.token() + "; Path=" + t.grant().resource().value() + "; Max-Age=" + maxAge
                + "; Secure; HttpOnly; SameSite=Strict";
    }

    /**
     * Verifies a request by its {@code Cookie} header. When several {@value #COOKIE_NAME} cookies are
     * present (views of several prefixes), the first that allows the request wins.
     *
     * @param cookieHeader  the request's {@code Cookie} header value (null if none)
     * @param requestTarget the raw path and query as received
     * @throws TokenRejectedException MALFORMED without a cookie; else the reason of the first cookie that
     *                                covers the path, or {@code WRONG_RESOURCE} if none does
     */
    public Grant verify(String cookieHeader, String requestTarget, String action, ClientContext client) {
        List<String> candidates = cookies(cookieHeader);
        if (candidates.isEmpty()) {
            throw new TokenRejectedException(Reason.MALFORMED, "no " + COOKIE_NAME + " cookie");
        }
        SignedUrls.Target t = SignedUrls.Target.parse(requestTarget, COOKIE_NAME, false);
        TokenRejectedException first = null;
        for (String token : candidates) {
            try {
                return tokens.verify(token, new AccessRequest(t.path, action, client));
            } catch (TokenRejectedException e) {
                // a cookie for another prefix says least: prefer the reason of one that covered the path
                if (first == null || first.reason() == Reason.WRONG_RESOURCE && e.reason() != Reason.WRONG_RESOURCE) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /**
     * A new {@code Set-Cookie} when less than half of the grant's lifetime is left, else empty. Always empty for a
     * grant no cookie could carry (an exact resource or a use limit, as {@link #issue} refuses): refreshing it
     * would drop its limits.
     */
    public Optional<String> refresh(Grant verified) {
        if (!verified.resource().prefix() || verified.maxUses() > 0) {
            return Optional.empty();
        }
        Instant now = tokens.clock().instant();
        Duration lifetime = Duration.between(verified.issuedAt(), verified.expiresAt());
        if (Duration.between(now, verified.expiresAt()).compareTo(lifetime.dividedBy(2)) > 0) {
            return Optional.empty();
        }
        TokenSpec next = TokenSpec.builder()
                .subject(verified.subject())
                .resource(verified.resource())
                .actions(verified.actions().toArray(new String[0]))
                .lifetime(lifetime.compareTo(tokens.maxLifetime()) > 0 ? tokens.maxLifetime() : lifetime)
                .bindings(verified.bindings())
                .build();
        return Optional.of(setCookie(tokens.issue(next)));
    }

    static List<String> cookies(String header) {
        List<String> out = new ArrayList<>();
        if (header == null) {
            return out;
        }
        for (String part : header.split(";")) {
            String p = part.strip();
            if (p.startsWith(COOKIE_NAME + "=")) {
                String v = p.substring(COOKIE_NAME.length() + 1);
                if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                    v = v.substring(1, v.length() - 1);
                }
                out.add(v);
            }
        }
        return out;
    }
}
