package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.spi.InMemoryKeySource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class TokenProperties {
    static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    static final Map<KeyType, TokenService> SERVICES = new EnumMap<>(KeyType.class);
    /**
     * A verify of any input, however hostile, must finish within this bound: generous, because a GC pause
     * on a shared CI box must not fail the build; {@code TokenServiceTest} checks the average tightly.
     */
    static final long BOUND_NANOS = Duration.ofMillis(250).toNanos();

    static {
        for (KeyType t : KeyType.values()) {
            SERVICES.put(t, TokenService.builder(new InMemoryKeySource(KeyRing.of(TokenKey.generate(t, "key-" + t.ordinal()))))
                    .clock(Clock0.INSTANCE).build());
        }
    }

    /** A fixed clock: tokens issued in a property stay valid for the property's checks. */
    static final class Clock0 {
        static final java.time.Clock INSTANCE = java.time.Clock.fixed(T0, java.time.ZoneOffset.UTC);
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange(' ', '~').withCharRange('\u00a0', '\u07ff')
                .withChars('\u4e2d', '\uD83D').ofMinLength(1).ofMaxLength(40)
                .filter(s -> {
                    try {
                        TokenSpec.checkText("t", s, 256);
                        return true;
                    } catch (IllegalArgumentException e) {
                        return false;
                    }
                });
    }

    @Provide
    Arbitrary<Resource> resources() {
        Arbitrary<String> value = Arbitraries.strings().withChars("abz09/-_.%2e ?+~é").ofMinLength(1).ofMaxLength(30);
        return Combinators.combine(value, Arbitraries.of(true, false)).as((v, p) -> {
            try {
                return p ? Resource.prefix(v.endsWith("/") ? v : v + "/") : Resource.exact(v);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }).filter(r -> r != null);
    }

    @Provide
    Arbitrary<Bindings> bindings() {
        Arbitrary<String> cidr = Arbitraries.of("10.0.0.0/8", "203.0.113.7", "2001:db8::/32", "::1", "0.0.0.0/0");
        return Combinators.combine(cidr.injectNull(0.5), texts().injectNull(0.5), texts().injectNull(0.5)).as((c, s, a) -> {
            Bindings.Builder b = Bindings.builder();
            if (c != null) {
                b.clientNetwork(c);
            }
            if (s != null) {
                b.sessionId(s);
            }
            if (a != null) {
                b.audience(a);
            }
            return b.build();
        });
    }

    @Provide
    Arbitrary<Set<String>> actions() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyzABC0123456789-_.:").ofMinLength(1).ofMaxLength(32)
                .set().ofMinSize(1).ofMaxSize(TokenSpec.MAX_ACTIONS);
    }

    @Property(tries = 300)
    void everyFormatRoundTrips(@ForAll KeyType type, @ForAll("texts") String subject, @ForAll("resources") Resource resource,
                               @ForAll("actions") Set<String> actions, @ForAll @IntRange(min = 0, max = 100000) int maxUses,
                               @ForAll @IntRange(min = 1, max = 86400) int lifetime, @ForAll("bindings") Bindings bindings) {
        TokenService s = SERVICES.get(type);
        IssuedToken t = s.issue(TokenSpec.builder().subject(subject).resource(resource).actions(actions.toArray(new String[0]))
                .maxUses(maxUses).lifetime(Duration.ofSeconds(lifetime)).bindings(bindings).build());
        Grant g = s.inspect(t.token());
        assertEquals(t.grant(), g);
        assertEquals(subject, g.subject());
        assertEquals(resource, g.resource());
        assertEquals(actions, g.actions());
        assertEquals(bindings, g.bindings());
    }

    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<String> junk = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> tokenish = Arbitraries.strings().withChars("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/")
                .ofMaxLength(400);
        Arbitrary<String> prefixed = Combinators.combine(
                Arbitraries.of("ms1.", "ms1.key-0.", "ms1.key-1.", "v4.local.", "v4.public.", "v4.local.x.", "v3.local.", ""),
                tokenish).as(String::concat);
        Arbitrary<String> big = Arbitraries.of("ms1.key-0.", "v4.local.", "v4.public.")
                .map(p -> p + "A".repeat(TokenService.DEFAULT_MAX_TOKEN_LENGTH - p.length() - 2) + ".A");
        return Arbitraries.oneOf(junk, prefixed, big);
    }

    @Property(tries = 500)
    void randomStringsAreRefusedCleanlyAndQuickly(@ForAll("hostile") String input, @ForAll KeyType type) {
        TokenService s = SERVICES.get(type);
        long start = System.nanoTime();
        try {
            s.verify(input, AccessRequest.of("a", "download"));
            fail("accepted a random string");
        } catch (TokenRejectedException e) {
            assertTrue(Set.of(Reason.MALFORMED, Reason.BAD_SIGNATURE, Reason.UNKNOWN_KEY).contains(e.reason()), e.reason().name());
            if (e.reason() == Reason.UNKNOWN_KEY) {
                assertTrue(input.startsWith("ms1.") || input.startsWith("v4."), input);
            }
        }
        assertTrue(System.nanoTime() - start < BOUND_NANOS, "verify took " + (System.nanoTime() - start) + " ns");
    }

    @Provide
    Arbitrary<int[]> mutations() {
        // kind, position, value
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.integers().between(0, 10_000),
                Arbitraries.integers().between(0, 0xffff)).as((k, p, v) -> new int[] {k, p, v});
    }

    @Property(tries = 1000)
    void mutatedTokensAreRefusedWithMalformedOrBadSignature(@ForAll KeyType type, @ForAll("mutations") int[] m,
                                                          @ForAll("texts") String subject) {
        TokenService s = SERVICES.get(type);
        String token = s.issue(TokenSpec.builder().subject(subject).resource(Resource.exact("a")).actions("download")
                .lifetime(Duration.ofMinutes(5)).build()).token();
        int pos = m[1] % token.length();
        char c = (char) m[2];
        String mutated = switch (m[0]) {
            case 0 -> token.substring(0, pos) + (token.charAt(pos) == c ? (char) (c ^ 1) : c) + token.substring(pos + 1);
            case 1 -> token.substring(0, pos) + token.substring(pos + 1);
            case 2 -> token.substring(0, pos) + c + token.substring(pos);
            case 3 -> token.substring(0, pos);
            default -> token + (char) ('A' + m[2] % 26);
        };
        long start = System.nanoTime();
        try {
            s.verify(mutated, AccessRequest.of("a", "download"));
            fail("accepted a mutated token");
        } catch (TokenRejectedException e) {
            Set<Reason> allowed = Set.of(Reason.MALFORMED, Reason.BAD_SIGNATURE);
            if (!allowed.contains(e.reason())) {
                // the only other honest answer: the mutation hit the key id itself
                assertEquals(Reason.UNKNOWN_KEY, e.reason());
                assertTrue(!keyPart(mutated).equals(keyPart(token)),
                        "UNKNOWN_KEY though the key id is intact: " + mutated);
            }
        }
        assertTrue(System.nanoTime() - start < BOUND_NANOS);
    }

    /** The part of a token that names its key: ms1's second field, PASETO's footer. */
    static String keyPart(String token) {
        String[] parts = token.split("\\.", -1);
        if (token.startsWith("ms1.")) {
            return parts.length > 1 ? parts[1] : "";
        }
        return parts.length > 3 ? parts[3] : "";
    }

    /**
     * Any lifetime and any not-before: issue either refuses with IllegalArgumentException, as documented, or gives
     * a token that verifies from its not-before (or now) until its expiry.
     */
    @Property
    void anyLifetimeAndNotBeforeIsIssuedAndVerifiesOrIsRefusedAsDocumented(
            @ForAll @net.jqwik.api.constraints.LongRange(min = 0) long lifetimeSeconds,
            @ForAll @net.jqwik.api.constraints.LongRange(min = -100_000_000_000L, max = 100_000_000_000L) long notBeforeSeconds) {
        for (TokenService svc : SERVICES.values()) {
            TokenSpec spec;
            try {
                spec = TokenSpec.builder().subject("u").resource(Resource.prefix("hls/1/")).actions("stream")
                        .lifetime(Duration.ofSeconds(lifetimeSeconds)).notBefore(Instant.ofEpochSecond(notBeforeSeconds)).build();
            } catch (IllegalArgumentException refusedBySpec) {
                continue;
            }
            IssuedToken issued;
            try {
                issued = svc.issue(spec);
            } catch (IllegalArgumentException refused) {
                continue;
            }
            Instant validFrom = issued.grant().notBefore().isAfter(T0) ? issued.grant().notBefore() : T0;
            if (validFrom.equals(T0)) {
                svc.verify(issued.token(), AccessRequest.of("hls/1/index.m3u8", "stream"));
            }
            assertTrue(issued.grant().expiresAt().isAfter(validFrom), issued.grant().toString());
        }
    }
}
