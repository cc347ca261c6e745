package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.internal.Base64Url;
import io.mediastore.tokens.internal.Json;
import io.mediastore.tokens.internal.PasetoV4;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Grants as PASETO v4 tokens, readable and writable by any PASETO library: the claims are JSON with the
 * registered {@code jti}, {@code sub}, {@code iat}, {@code nbf}, {@code exp} (ISO 8601) and
 * {@code aud}, plus {@code res} (resource), {@code pfx} (resource is a prefix), {@code act}
 * (actions), {@code max} (use limit), {@code cidr} and {@code sid} (session hash, base64url).
 * The footer is {@code {"kid":"..."}}; the key material never travels, and an unknown kid fails closed.
 */
final class PasetoCodec {
    /** Largest footer read before a key is found: the kid is all it needs to hold. */
    static final int MAX_FOOTER_BYTES = 512;
    private static final byte[] NO_IMPLICIT = new byte[0];
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasetoCodec() {
    }

    static String encode(TokenKey key, String tokenId, Grant g) {
        StringBuilder j = new StringBuilder(256).append('{');
        field(j, "jti", tokenId);
        j.append(',');
        field(j, "sub", g.subject());
        j.append(',');
        field(j, "iat", g.issuedAt().toString());
        j.append(',');
        field(j, "nbf", g.notBefore().toString());
        j.append(',');
        field(j, "exp", g.expiresAt().toString());
        j.append(',');
        field(j, "res", g.resource().value());
        if (g.resource().prefix()) {
            j.append(",\"pfx\":true");
        }
        j.append(",\"act\":[");
        boolean first = true;
        for (String a : g.actions()) {
            if (!first) {
                j.append(',');
            }
            Json.quote(a, j);
            first = false;
        }
        j.append(']');
        if (g.maxUses() > 0) {
            j.append(",\"max\":").append(g.maxUses());
        }
        Bindings b = g.bindings();
        if (b.networkBytes() != null) {
            j.append(',');
            field(j, "cidr", b.clientNetwork().orElseThrow());
        }
        if (b.sessionHash() != null) {
            j.append(',');
            field(j, "sid", Base64Url.encode(b.sessionHash()));
        }
        if (b.audience().isPresent()) {
            j.append(',');
            field(j, "aud", b.audience().get());
        }
        j.append('}');
        byte[] payload = j.toString().getBytes(StandardCharsets.UTF_8);
        byte[] footer = footer(key.keyId());
        if (key.type() == KeyType.PASETO_V4_LOCAL) {
            byte[] nonce = new byte[32];
            RANDOM.nextBytes(nonce);
            return PasetoV4.encrypt(key.secretMaterial(), payload, footer, NO_IMPLICIT, nonce);
        }
        return PasetoV4.sign(key.secretMaterial(), key.publicMaterial(), payload, footer, NO_IMPLICIT);
    }

    static byte[] footer(String keyId) {
        StringBuilder f = new StringBuilder("{");
        field(f, "kid", keyId);
        return f.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void field(StringBuilder j, String name, String value) {
        Json.quote(name, j).append(':');
        Json.quote(value, j);
    }

    static Grant decode(String token, KeyRing ring) {
        boolean local = token.startsWith(PasetoV4.LOCAL_HEADER);
        if (!local && !token.startsWith(PasetoV4.PUBLIC_HEADER)) {
            throw TokenService.reject(Reason.MALFORMED, "not a v4.local or v4.public token");
        }
        String kid = untrustedKeyId(token);
        TokenKey key = ring.find(kid, 0, kid.length());
        if (key == null) {
            throw TokenService.reject(Reason.UNKNOWN_KEY, "no key with the token's kid");
        }
        KeyType expected = local ? KeyType.PASETO_V4_LOCAL : KeyType.PASETO_V4_PUBLIC;
        if (key.type() != expected) {
            throw TokenService.reject(Reason.BAD_SIGNATURE, "the key with this kid is not a " + expected + " key");
        }
        PasetoV4.Parts parts;
        try {
            parts = local ? PasetoV4.decrypt(key.secretMaterial(), token, NO_IMPLICIT)
                    : PasetoV4.verify(key.publicPoint(), token, NO_IMPLICIT);
        } catch (PasetoV4.Invalid e) {
            throw TokenService.reject(e.getMessage().contains("mismatch") ? Reason.BAD_SIGNATURE : Reason.MALFORMED,
                    e.getMessage());
        }
        return claims(new String(parts.body(), StandardCharsets.UTF_8), key.keyId());
    }

    /** The kid from the footer, read before anything is verified (only to pick the key). */
    static String untrustedKeyId(String token) {
        byte[] footer;
        try {
            footer = PasetoV4.untrustedFooter(token);
        } catch (PasetoV4.Invalid e) {
            throw TokenService.reject(Reason.MALFORMED, "bad footer");
        }
        if (footer.length == 0) {
            throw TokenService.reject(Reason.UNKNOWN_KEY, "no kid in the footer");
        }
        if (footer.length > MAX_FOOTER_BYTES) {
            throw TokenService.reject(Reason.MALFORMED, "footer too long");
        }
        Object kid;
        try {
            kid = Json.parseObject(new String(footer, StandardCharsets.UTF_8)).get("kid");
        } catch (Json.Invalid e) {
            throw TokenService.reject(Reason.MALFORMED, "footer is not a JSON object");
        }
        if (!(kid instanceof String s)) {
            throw TokenService.reject(Reason.UNKNOWN_KEY, "no kid in the footer");
        }
        return s;
    }

    private static Grant claims(String json, String keyId) {
        try {
            Map<String, Object> m = Json.parseObject(json);
            List<String> actions = new ArrayList<>();
            if (!(m.get("act") instanceof List<?> l)) {
                throw new IllegalArgumentException("act");
            }
            for (Object a : l) {
                actions.add((String) a);
            }
            if (actions.isEmpty() || actions.size() > TokenSpec.MAX_ACTIONS || hasDuplicates(actions)) {
                throw new IllegalArgumentException("act");
            }
            int maxUses = 0;
            Object max = m.get("max");
            if (max != null) {
                if (!(max instanceof Long v) || v < 1 || v > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("max");
                }
                maxUses = (int) (long) v;
            }
            Object pfx = m.get("pfx");
            if (pfx != null && !(pfx instanceof Boolean)) {
                throw new IllegalArgumentException("pfx");
            }
            Bindings b = Bindings.none();
            if (m.get("cidr") != null) {
                b = Bindings.withNetwork(b, (String) m.get("cidr"));
            }
            if (m.get("sid") != null) {
                byte[] sid = Base64Url.decode((String) m.get("sid"));
                if (sid == null || sid.length != Bindings.SESSION_HASH_BYTES) {
                    throw new IllegalArgumentException("sid");
                }
                b = new Bindings(b.networkBytes(), b.prefixBits(), sid, null);
            }
            if (m.get("aud") != null) {
                b = new Bindings(b.networkBytes(), b.prefixBits(), b.sessionHash(), (String) m.get("aud"));
            }
            return new Grant(str(m, "jti"), keyId, str(m, "sub"), new Resource(str(m, "res"), Boolean.TRUE.equals(pfx)),
                    java.util.Set.copyOf(actions), time(m, "iat"), time(m, "nbf"), time(m, "exp"), maxUses, b);
        } catch (Json.Invalid | RuntimeException e) {
            throw TokenService.reject(Reason.MALFORMED, "bad claims");
        }
    }

    private static boolean hasDuplicates(List<String> l) {
        return new java.util.HashSet<>(l).size() != l.size();
    }

    private static String str(Map<String, Object> m, String k) {
        if (!(m.get(k) instanceof String s)) {
            throw new IllegalArgumentException(k);
        }
        return s;
    }

    private static Instant time(Map<String, Object> m, String k) {
        try {
            return OffsetDateTime.parse(str(m, k)).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(k, e);
        }
    }
}
