package io.mediastore.tokens.internal;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CodecProperties {
    @Property(tries = 500)
    void base64UrlRoundTripsAndMatchesTheJdk(@ForAll byte[] data) {
        String enc = Base64Url.encode(data);
        assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(data), enc);
        assertArrayEquals(data, Base64Url.decode(enc));
    }

    @Provide
    Arbitrary<String> base64ish() {
        return Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=+/.\u00e9")
                .ofMaxLength(40);
    }

    /** Strict decoding: whatever decodes has exactly one spelling, and nothing else decodes. */
    @Property(tries = 1000)
    void base64UrlDecodingIsCanonical(@ForAll("base64ish") String s) {
        byte[] d = Base64Url.decode(s);
        if (d != null) {
            assertEquals(s, Base64Url.encode(d));
        } else {
            try {
                byte[] jdk = Base64.getUrlDecoder().decode(s);
                // the JDK is lenient (padding, stray bits); then our canonical spelling must differ
                assertEquals(false, Base64.getUrlEncoder().withoutPadding().encodeToString(jdk).equals(s), s);
            } catch (IllegalArgumentException expected) {
                // refused by both
            }
        }
    }

    @Property(tries = 1000)
    void jsonParsingRefusesOnlyWithItsOwnError(@ForAll("jsonish") String s) {
        try {
            Json.parse(s);
        } catch (Json.Invalid expected) {
            // the one documented failure
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        return Arbitraries.oneOf(Arbitraries.strings().withChars("{}[]\":,0123456789-+.eEtruefalsn \\u").ofMaxLength(60),
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("[".repeat(100), "{\"a\":".repeat(50), "\"\\ud800\"", "1e99999", "-", "01"));
    }

    @Property(tries = 500)
    void jsonQuotedStringsRoundTrip(@ForAll String s) throws Exception {
        String quoted = Json.quote(s, new StringBuilder()).toString();
        if (java.nio.charset.StandardCharsets.UTF_8.newEncoder().canEncode(s)) {
            assertEquals(s, Json.parse(quoted));
        } else {
            // a lone surrogate has no UTF-8 form, so no token could carry it: its escape is refused
            org.junit.jupiter.api.Assertions.assertThrows(Json.Invalid.class, () -> Json.parse(quoted));
        }
    }

    @net.jqwik.api.Example
    void jsonRefusesLoneSurrogateEscapesAndKeepsPairs() throws Exception {
        for (String lone : java.util.List.of("\"\\ud800\"", "\"a\\udc00b\"", "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"\\udbff\"")) {
            org.junit.jupiter.api.Assertions.assertThrows(Json.Invalid.class, () -> Json.parse(lone), lone);
        }
        assertEquals("\ud83c\udfac", Json.parse("\"\\ud83c\\udfac\""));
        assertEquals("\ud83c\udfac", Json.parse("\"\ud83c\udfac\""));
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.strings().withChars("ab/ +~%2F5e.-_é?#&=;").ofMaxLength(30).map(s -> "/" + s);
    }

    /** The canonical path is a fixed point, and decoding it gives the same bytes as decoding the input. */
    @Property(tries = 1000)
    void canonicalPathIsIdempotent(@ForAll("paths") String p) {
        String c;
        try {
            c = UrlCanon.path(p);
        } catch (IllegalArgumentException refused) {
            return; // bad escape, '?' or '#'
        }
        assertEquals(c, UrlCanon.path(c));
        assertEquals(c, UrlCanon.path(encodeAll(p)));
    }

    /** Percent-encodes every byte of a path except '/' and existing escapes: a maximally re-encoded spelling. */
    private static String encodeAll(String p) {
        StringBuilder sb = new StringBuilder();
        byte[] b = p.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '/') {
                sb.append('/');
            } else if (b[i] == '%') {
                sb.append((char) b[i]).append((char) b[i + 1]).append((char) b[i + 2]);
                i += 2;
            } else {
                sb.append(String.format("%%%02x", b[i] & 0xff));
            }
        }
        return sb.toString();
    }

    @Property(tries = 500)
    void canonicalQueryRoundTripsThroughParsing(@ForAll("params") List<String> names, @ForAll("params") List<String> values) {
        List<Map.Entry<String, String>> params = new java.util.ArrayList<>();
        for (int i = 0; i < Math.min(names.size(), values.size()); i++) {
            params.add(Map.entry(names.get(i), values.get(i)));
        }
        String q = UrlCanon.query(params);
        assertEquals(q, UrlCanon.query(UrlCanon.parseQuery(q)));
    }

    @Provide
    Arbitrary<List<String>> params() {
        return Arbitraries.strings().withChars("ab =&+%~é/?").ofMinLength(1).ofMaxLength(8).list().ofMaxSize(5);
    }

    @Property(tries = 300)
    void malformedEscapesAreRefusedWithIllegalArgument(@ForAll("paths") String p) {
        try {
            UrlCanon.parseQuery(p);
        } catch (IllegalArgumentException expected) {
            // the one documented failure; any other exception type fails the property
        }
    }
}
