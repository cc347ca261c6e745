package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.spi.InMemoryKeySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenServiceTest {
    static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");
    final MutableClock clock = new MutableClock(T0);

    TokenService service(TokenKey active, TokenKey... others) {
        return TokenService.builder(new InMemoryKeySource(KeyRing.of(active, others))).clock(clock).build();
    }

    static TokenSpec.Builder download(String resource) {
        return TokenSpec.builder().subject("user-42").resource(Resource.exact(resource)).actions("download")
                .lifetime(Duration.ofMinutes(10));
    }

    static Reason reason(Runnable r) {
        return assertThrows(TokenRejectedException.class, r::run).reason();
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void roundTripForEveryKeyType(KeyType type) {
        TokenService s = service(TokenKey.generate(type, "k1"));
        TokenSpec spec = TokenSpec.builder().subject("share-link:ünï").resource(Resource.prefix("video/123/hls/"))
                .actions("stream", "download").lifetime(Duration.ofHours(1)).maxUses(3)
                .bindings(Bindings.builder().clientNetwork("203.0.113.0/24").sessionId("sess-1").audience("edge-eu").build())
                .build();
        IssuedToken t = s.issue(spec);
        assertTrue(t.token().chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == '.'),
                "URL-safe without escaping: " + t.token());
        ClientContext client = new ClientContext(addr("203.0.113.77"), "sess-1", "edge-eu");
        Grant g = s.verify(t.token(), AccessRequest.of("video/123/hls/seg-00001.ts", "stream").from(client));
        assertEquals(t.grant(), g);
        assertEquals("user-42".length() > 0 ? "share-link:ünï" : "", g.subject());
        assertEquals(Set.of("stream", "download"), g.actions());
        assertEquals(T0, g.issuedAt());
        assertEquals(T0.plus(Duration.ofHours(1)), g.expiresAt());
        assertEquals("k1", g.keyId());
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/124/hls/seg.ts", "stream").from(client))));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/123/hls/../../124/hls/key", "stream").from(client))));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/123/hls/%2e%2E/x", "stream").from(client))));
        assertEquals(Reason.WRONG_ACTION, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/123/hls/a.ts", "delete").from(client))));
        assertEquals(Reason.BINDING_MISMATCH, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/123/hls/a.ts", "stream").from(client.withAddress(addr("203.0.114.1"))))));
        assertEquals(Reason.BINDING_MISMATCH, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/123/hls/a.ts", "stream").from(client.withSessionId("sess-2")))));
        assertEquals(Reason.BINDING_MISMATCH, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/123/hls/a.ts", "stream").from(client.withAudience(null)))));
        assertEquals(Reason.BINDING_MISMATCH, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/123/hls/a.ts", "stream"))));
        // refused requests spent no use: two more uses remain of three
        s.verify(t.token(), AccessRequest.of("video/123/hls/a.ts", "stream").from(client));
        s.verify(t.token(), AccessRequest.of("video/123/hls/b.ts", "download").from(client));
        assertEquals(Reason.ALREADY_USED, reason(() -> s.verify(t.token(),
                AccessRequest.of("video/123/hls/c.ts", "stream").from(client))));
    }

    static InetAddress addr(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void expiryAndNotBeforeWithLeeway() {
        TokenService s = service(TokenKey.generate(KeyType.HMAC_SHA256, "k"));
        String tok = s.issue(download("asset/1/original").notBefore(T0.plusSeconds(60)).build()).token();
        AccessRequest req = AccessRequest.of("asset/1/original", "download");
        assertEquals(Reason.NOT_YET_VALID, reason(() -> s.verify(tok, req)));
        clock.set(T0.plusSeconds(30)); // exactly at nbf - leeway
        s.verify(tok, req);
        clock.set(T0.plus(Duration.ofMinutes(10)).plusSeconds(30));
        s.verify(tok, req);
        clock.set(T0.plus(Duration.ofMinutes(10)).plusSeconds(31));
        assertEquals(Reason.EXPIRED, reason(() -> s.verify(tok, req)));
    }

    @Test
    void leewayIsConfigurable() {
        TokenService s = TokenService.builder(new InMemoryKeySource(KeyRing.of(TokenKey.generate(KeyType.HMAC_SHA256, "k"))))
                .clock(clock).leeway(Duration.ZERO).build();
        String tok = s.issue(download("a").build()).token();
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertEquals(Reason.EXPIRED, reason(() -> s.verify(tok, AccessRequest.of("a", "download"))));
    }

    @Test
    void expiryIsRequiredAndBounded() {
        TokenService s = service(TokenKey.generate(KeyType.HMAC_SHA256, "k"));
        assertThrows(IllegalArgumentException.class, () -> TokenSpec.builder().subject("u")
                .resource(Resource.exact("a")).actions("download").build());
        assertThrows(IllegalArgumentException.class, () -> s.issue(download("a").lifetime(Duration.ofHours(25)).build()));
        // once an ArithmeticException from the overflowing expiry
        assertThrows(IllegalArgumentException.class, () -> s.issue(download("a").lifetime(Duration.ofSeconds(Long.MAX_VALUE)).build()));
        assertThrows(IllegalArgumentException.class, () -> s.issue(download("a").expiresAt(T0.minusSeconds(1)).build()));
        TokenService shortMax = TokenService.builder(new InMemoryKeySource(KeyRing.of(TokenKey.generate(KeyType.HMAC_SHA256, "k"))))
                .clock(clock).maxLifetime(Duration.ofMinutes(5)).build();
        assertThrows(IllegalArgumentException.class, () -> shortMax.issue(download("a").build()));
        shortMax.issue(download("a").lifetime(Duration.ofMinutes(5)).build());
    }

    @Test
    void exactResourceIsExact() {
        TokenService s = service(TokenKey.generate(KeyType.HMAC_SHA256, "k"));
        String tok = s.issue(download("asset/1").build()).token();
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> s.verify(tok, AccessRequest.of("asset/10", "download"))));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> s.verify(tok, AccessRequest.of("asset/1/x", "download"))));
        assertThrows(IllegalArgumentException.class, () -> Resource.prefix("asset/1"));
    }

    @Test
    void anyChangedCharacterIsDetected() {
        for (KeyType type : KeyType.values()) {
            TokenService s = service(TokenKey.generate(type, "k"));
            String tok = s.issue(download("asset/1").build()).token();
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
            for (int i = 0; i < tok.length(); i++) {
                char replacement = alphabet.charAt((alphabet.indexOf(tok.charAt(i)) + 1 + i % 64) % alphabet.length());
                String bad = tok.substring(0, i) + replacement + tok.substring(i + 1);
                TokenRejectedException e = assertThrows(TokenRejectedException.class,
                        () -> s.verify(bad, AccessRequest.of("asset/1", "download")), type + " position " + i);
                assertTrue(Set.of(Reason.MALFORMED, Reason.BAD_SIGNATURE, Reason.UNKNOWN_KEY).contains(e.reason()),
                        type + " " + i + " " + e.reason());
            }
        }
    }

    @Test
    void rotationKeepsOldTokensWorkingUntilTheyExpire() {
        TokenKey old = TokenKey.generate(KeyType.HMAC_SHA256, "2026-11");
        TokenKey next = TokenKey.generate(KeyType.HMAC_SHA256, "2026-12");
        InMemoryKeySource keys = new InMemoryKeySource(KeyRing.of(old));
        TokenService s = TokenService.builder(keys).clock(clock).build();
        String before = s.issue(download("a").build()).token();
        keys.rotate(KeyRing.of(next, old));
        String after = s.issue(download("a").build()).token();
        assertTrue(after.startsWith("ms1.2026-12."));
        assertEquals("2026-11", s.verify(before, AccessRequest.of("a", "download")).keyId());
        assertEquals("2026-12", s.verify(after, AccessRequest.of("a", "download")).keyId());
        keys.rotate(KeyRing.of(next));
        assertEquals(Reason.UNKNOWN_KEY, reason(() -> s.verify(before, AccessRequest.of("a", "download"))));
    }

    @Test
    void theKeyDecidesTheAlgorithm() {
        // the same key id on another service with a key of another type: no token crosses over
        for (KeyType issuing : KeyType.values()) {
            String tok = service(TokenKey.generate(issuing, "shared")).issue(download("a").build()).token();
            for (KeyType verifying : KeyType.values()) {
                if (verifying == issuing) {
                    continue;
                }
                TokenService other = service(TokenKey.generate(verifying, "shared"));
                Reason r = reason(() -> other.verify(tok, AccessRequest.of("a", "download")));
                assertTrue(r == Reason.BAD_SIGNATURE || r == Reason.MALFORMED, issuing + " -> " + verifying + ": " + r);
            }
        }
        // an HMAC keyed with an Ed25519 public key (the classic JWT confusion) has no way in: keys are typed
        TokenKey ed = TokenKey.generate(KeyType.ED25519, "ed");
        TokenService edge = TokenService.builder(new InMemoryKeySource(KeyRing.verifyOnly(List.of(ed.publicKey()))))
                .clock(clock).build();
        TokenService forger = service(TokenKey.hmacSha256("ed", pad(ed.publicKeyBytes())));
        String forged = forger.issue(download("a").build()).token();
        assertEquals(Reason.MALFORMED, reason(() -> edge.verify(forged, AccessRequest.of("a", "download"))));
        String real = service(ed).issue(download("a").build()).token();
        edge.verify(real, AccessRequest.of("a", "download"));
        assertThrows(IllegalStateException.class, () -> edge.issue(download("a").build()));
    }

    private static byte[] pad(byte[] b) {
        return java.util.Arrays.copyOf(b, 32);
    }

    @Test
    void oversizedTokensAreRefusedBeforeParsing() {
        TokenService s = service(TokenKey.generate(KeyType.HMAC_SHA256, "k"));
        String huge = "ms1.k." + "A".repeat(5000) + ".x";
        assertEquals(Reason.MALFORMED, reason(() -> s.verify(huge, AccessRequest.of("a", "download"))));
        assertEquals(Reason.MALFORMED, reason(() -> s.verify(null, AccessRequest.of("a", "download"))));
        assertEquals(Reason.MALFORMED, reason(() -> s.verify("", AccessRequest.of("a", "download"))));
        assertEquals(Reason.UNKNOWN_KEY, reason(() -> s.verify("ms1.nope.AAAA.AAAA", AccessRequest.of("a", "download"))));
    }

    @Test
    void keysNeverShowInToStringOrMessages() {
        byte[] raw = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        TokenKey k = TokenKey.hmacSha256("k", raw);
        TokenService s = service(k);
        String hex = HexFormat.of().formatHex(raw);
        String b64 = io.mediastore.tokens.internal.Base64Url.encode(raw);
        IssuedToken t = s.issue(download("a").bindings(Bindings.builder().sessionId("secret-session").build()).build());
        for (String text : List.of(k.toString(), KeyRing.of(k).toString(), s.toString(), t.toString(),
                t.grant().toString(), new ClientContext(null, "secret-session", null).toString())) {
            assertFalse(text.contains(hex) || text.contains(b64) || text.contains("secret-session")
                    || text.contains(t.token()), text);
        }
        TokenRejectedException e = assertThrows(TokenRejectedException.class,
                () -> s.verify(t.token() + "x", AccessRequest.of("a", "download")));
        assertFalse(e.getMessage().contains(t.token()));
    }

    @Test
    void singleUseAndRevocation() {
        TokenService s = service(TokenKey.generate(KeyType.HMAC_SHA256, "k"));
        IssuedToken once = s.issue(download("a").maxUses(1).build());
        assertTrue(once.grant().singleUse());
        s.verify(once.token(), AccessRequest.of("a", "download"));
        assertEquals(Reason.ALREADY_USED, reason(() -> s.verify(once.token(), AccessRequest.of("a", "download"))));

        IssuedToken t1 = s.issue(download("a").build());
        IssuedToken t2 = s.issue(download("a").build());
        s.revoke(t1.grant());
        assertEquals(Reason.REVOKED, reason(() -> s.verify(t1.token(), AccessRequest.of("a", "download"))));
        s.verify(t2.token(), AccessRequest.of("a", "download"));

        s.revokeSubject("user-42");
        assertEquals(Reason.REVOKED, reason(() -> s.verify(t2.token(), AccessRequest.of("a", "download"))));
        // the cut-off covers the leeway (another node's clock may run that far ahead): fresh tokens work after it
        clock.advance(Duration.ofSeconds(1));
        String tooSoon = s.issue(download("a").build()).token();
        assertEquals(Reason.REVOKED, reason(() -> s.verify(tooSoon, AccessRequest.of("a", "download"))));
        clock.advance(Duration.ofSeconds(30));
        String fresh = s.issue(download("a").build()).token();
        s.verify(fresh, AccessRequest.of("a", "download"));
        String otherUser = s.issue(download("a").subject("user-7").build()).token();
        s.verify(otherUser, AccessRequest.of("a", "download"));
    }

    @Test
    void aSignOutOutlivesTheLongestTokenAlthoughManyOthersFollow() {
        // the default revocation list once kept cut-offs for 24 h whatever the service's maximum lifetime, and
        // dropped older ones once more than 10,000 subjects had been revoked
        TokenService s = TokenService.builder(new InMemoryKeySource(KeyRing.of(TokenKey.generate(KeyType.HMAC_SHA256, "k"))))
                .clock(clock).maxLifetime(Duration.ofDays(7)).build();
        String weekLong = s.issue(download("a").expiresAt(T0.plus(Duration.ofDays(7))).build()).token();
        s.revokeSubject("user-42");
        clock.advance(Duration.ofDays(2));
        for (int i = 0; i <= 10_001; i++) {
            s.revokeSubject("other-" + i);
        }
        assertEquals(Reason.REVOKED, reason(() -> s.verify(weekLong, AccessRequest.of("a", "download"))));
    }

    @Test
    void inspectSpendsNoUse() {
        TokenService s = service(TokenKey.generate(KeyType.ED25519, "k"));
        IssuedToken once = s.issue(download("a").maxUses(1).build());
        s.inspect(once.token());
        s.inspect(once.token());
        s.verify(once.token(), AccessRequest.of("a", "download"));
    }

    @Test
    void bindingsParseWithoutDns() {
        assertThrows(IllegalArgumentException.class, () -> Bindings.builder().clientNetwork("example.com"));
        assertThrows(IllegalArgumentException.class, () -> Bindings.builder().clientNetwork("10.0.0.0/33"));
        assertEquals("10.0.0.0/8", Bindings.builder().clientNetwork("10.1.2.3/8").build().clientNetwork().orElseThrow());
        Bindings v6 = Bindings.builder().clientNetwork("2001:db8::/32").build();
        assertEquals(null, v6.mismatch(ClientContext.of(addr("2001:db8:1::5"))));
        assertTrue(v6.mismatch(ClientContext.of(addr("2001:db9::5"))) != null);
        assertTrue(v6.mismatch(ClientContext.of(addr("10.0.0.1"))) != null);
    }

    @Test
    void pasetoTokensWrittenByOtherLibrariesVerifyAndOursReadAsPlainPaseto() {
        TokenKey k = TokenKey.generate(KeyType.PASETO_V4_PUBLIC, "pk");
        TokenService s = service(k);
        byte[] kid = "{\"kid\":\"pk\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String claims = "{\"sub\":\"user-42\",\"jti\":\"abc\",\"iat\":\"2026-12-04T12:00:00+00:00\","
                + "\"nbf\":\"2026-12-04T12:00:00+00:00\",\"exp\":\"2026-12-04T13:30:00+01:00\",\"res\":\"asset/1\","
                + "\"act\":[\"download\"],\"extra\":{\"nested\":[1,2.5,null,true]}}";
        String foreign = Paseto.sign(k, claims.getBytes(java.nio.charset.StandardCharsets.UTF_8), kid, new byte[0]);
        Grant g = s.verify(foreign, AccessRequest.of("asset/1", "download"));
        assertEquals(T0.plus(Duration.ofMinutes(30)), g.expiresAt());
        assertEquals("abc", g.tokenId());
        clock.advance(Duration.ofMinutes(31));
        assertEquals(Reason.EXPIRED, reason(() -> s.verify(foreign, AccessRequest.of("asset/1", "download"))));
        clock.set(T0);

        String farFuture = Paseto.sign(k, claims.replace("\"nbf\":\"2026-12-04T12:00:00+00:00\"",
                "\"nbf\":\"+999999999-12-31T23:59:59Z\"").getBytes(java.nio.charset.StandardCharsets.UTF_8), kid, new byte[0]);
        assertEquals(Reason.NOT_YET_VALID, reason(() -> s.verify(farFuture, AccessRequest.of("asset/1", "download"))));
        String noKid = Paseto.sign(k, claims.getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0], new byte[0]);
        assertEquals(Reason.UNKNOWN_KEY, reason(() -> s.verify(noKid, AccessRequest.of("asset/1", "download"))));
        String notJson = Paseto.sign(k, claims.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "kid=pk".getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0]);
        assertEquals(Reason.MALFORMED, reason(() -> s.verify(notJson, AccessRequest.of("asset/1", "download"))));
        String missingRes = Paseto.sign(k, claims.replace("\"res\":\"asset/1\",", "")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8), kid, new byte[0]);
        assertEquals(Reason.MALFORMED, reason(() -> s.verify(missingRes, AccessRequest.of("asset/1", "download"))));

        // ours, read by plain PASETO: JSON claims, kid in the footer, the key never in the token
        String ours = s.issue(download("asset/1").build()).token();
        Paseto.Message m = Paseto.open(k.publicKey(), ours, new byte[0]);
        assertEquals("{\"kid\":\"pk\"}", new String(m.footer(), java.nio.charset.StandardCharsets.UTF_8));
        String json = new String(m.payload(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(json.contains("\"sub\":\"user-42\"") && json.contains("\"exp\":\"2026-12-04T12:10:00Z\""), json);
    }

    @Test
    void worstCaseInputsStayCheap() {
        for (KeyType type : KeyType.values()) {
            TokenService s = service(TokenKey.generate(type, "k"));
            String valid = s.issue(download("a").build()).token();
            int room = TokenService.DEFAULT_MAX_TOKEN_LENGTH - valid.length();
            List<String> inputs = List.of(
                    valid.substring(0, valid.lastIndexOf('.')) + "A".repeat(room) + valid.substring(valid.lastIndexOf('.')),
                    "ms1.k." + "A".repeat(TokenService.DEFAULT_MAX_TOKEN_LENGTH - 8) + ".A",
                    "v4.local." + "A".repeat(TokenService.DEFAULT_MAX_TOKEN_LENGTH - 9),
                    "v4.public.AAAA." + "e3".repeat(2000),
                    ".".repeat(TokenService.DEFAULT_MAX_TOKEN_LENGTH));
            for (int round = 0; round < 2; round++) { // the first round warms up
                long start = System.nanoTime();
                for (int i = 0; i < 200; i++) {
                    for (String in : inputs) {
                        assertThrows(TokenRejectedException.class, () -> s.verify(in, AccessRequest.of("a", "download")));
                    }
                }
                long avgMicros = (System.nanoTime() - start) / 1000 / (200 * inputs.size());
                if (round == 1) {
                    assertTrue(avgMicros < 2000, type + ": " + avgMicros + " us per hostile verify");
                }
            }
        }
    }

    @Test
    void aPrefixNeverCoversAPathThatClimbsOutAfterAQuestionMark() {
        // a resource id is not a URL: a host may pass a decoded path, where %3F became '?'
        Resource video = Resource.prefix("video/123/");
        assertFalse(video.covers("video/123/?/../../456/keys/k1"));
        assertFalse(video.covers("video/123/a?x=;/../b"));
        assertTrue(video.covers("video/123/seg-1.ts?x=1"));
        assertThrows(IllegalArgumentException.class, () -> Resource.exact("a/?/../b"));
        TokenService s = service(TokenKey.generate(KeyType.HMAC_SHA256, "k"));
        String t = s.issue(TokenSpec.builder().subject("u").resource(video).actions("stream").lifetime(Duration.ofMinutes(5)).build()).token();
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> s.verify(t, AccessRequest.of("video/123/?/../../456/keys/k1", "stream"))));
    }

    @Test
    void signOutEverywhereAlsoCoversTokensFromANodeWhoseClockRunsAhead() {
        var keys = new InMemoryKeySource(KeyRing.of(TokenKey.generate(KeyType.HMAC_SHA256, "k")));
        MutableClock ahead = new MutableClock(T0.plusSeconds(20)); // within the 30 s leeway
        var shared = new io.mediastore.tokens.spi.InMemoryRevocationList(clock, Duration.ofDays(2));
        TokenService nodeA = TokenService.builder(keys).clock(ahead).revocationList(shared).build();
        TokenService nodeB = TokenService.builder(keys).clock(clock).revocationList(shared).build();
        String issuedFirst = nodeA.issue(download("asset/1").subject("user-42").build()).token();
        clock.advance(Duration.ofSeconds(5));
        ahead.advance(Duration.ofSeconds(5));
        nodeB.revokeSubject("user-42");
        assertEquals(Reason.REVOKED, reason(() -> nodeB.verify(issuedFirst, AccessRequest.of("asset/1", "download"))));
        assertEquals(Reason.REVOKED, reason(() -> nodeA.verify(issuedFirst, AccessRequest.of("asset/1", "download"))));
        // tokens issued once the leeway has passed work again
        clock.advance(Duration.ofSeconds(31));
        String later = nodeB.issue(download("asset/1").subject("user-42").build()).token();
        assertEquals("user-42", nodeB.verify(later, AccessRequest.of("asset/1", "download")).subject());
    }

    /** A PASETO token as another library would write it: these claims, the key id in the footer. */
    static String foreignPaseto(TokenKey k, String claims) {
        return Paseto.sign(k, claims.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                ("{\"kid\":\"" + k.keyId() + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0]);
    }

    @Test
    void aTokenIssuedInTheFutureIsNotValidYet() {
        TokenKey k = TokenKey.generate(KeyType.PASETO_V4_PUBLIC, "pk");
        TokenService s = service(k);
        // valid from now, but claiming an issue time an hour ahead: it would escape any "revoke up to now"
        String claims = "{\"sub\":\"user-42\",\"jti\":\"abc\",\"iat\":\"2026-12-04T13:00:00Z\","
                + "\"nbf\":\"2026-12-04T12:00:00Z\",\"exp\":\"2026-12-04T14:00:00Z\",\"res\":\"asset/1\",\"act\":[\"download\"]}";
        String foreign = foreignPaseto(k, claims);
        assertEquals(Reason.NOT_YET_VALID, reason(() -> s.verify(foreign, AccessRequest.of("asset/1", "download"))));
        clock.set(Instant.parse("2026-12-04T13:00:00Z"));
        assertEquals("user-42", s.verify(foreign, AccessRequest.of("asset/1", "download")).subject());
    }

    @Test
    void aPasetoTokenWithALoneSurrogateSubjectIsMalformed() {
        TokenKey k = TokenKey.generate(KeyType.PASETO_V4_PUBLIC, "pk");
        TokenService s = service(k);
        String claims = "{\"sub\":\"user-42\\ud800\",\"jti\":\"abc\",\"iat\":\"2026-12-04T12:00:00Z\","
                + "\"nbf\":\"2026-12-04T12:00:00Z\",\"exp\":\"2026-12-04T12:10:00Z\",\"res\":\"asset/1\",\"act\":[\"download\"]}";
        String token = foreignPaseto(k, claims);
        assertEquals(Reason.MALFORMED, reason(() -> s.verify(token, AccessRequest.of("asset/1", "download"))));
    }

    /** Runs in a child JVM whose resolver is a hosts file, so that a lookup would be seen without a network. */
    public static final class BindingProbe {
        public static void main(String[] args) {
            try {
                System.out.println("ACCEPTED " + Bindings.builder().clientNetwork(args[0]).build().clientNetwork().orElseThrow());
            } catch (IllegalArgumentException e) {
                System.out.println("REFUSED");
            }
        }
    }

    @Test
    void digitsAndDotsThatAreNoAddressAreNeverLookedUp(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path hosts = dir.resolve("hosts");
        java.nio.file.Files.writeString(hosts, "10.66.66.66 1.2.3.4.5\n10.77.77.77 999.1.1.1\n10.88.88.88 01.2.3.4\n");
        for (String input : List.of("1.2.3.4.5", "999.1.1.1", "01.2.3.4")) {
            Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djdk.net.hosts.file=" + hosts, "-cp", System.getProperty("java.class.path"), BindingProbe.class.getName(), input)
                    .redirectErrorStream(true).start();
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            assertEquals("REFUSED", out, "clientNetwork(\"" + input + "\") went through the resolver");
        }
        assertEquals("10.1.2.3/32", Bindings.builder().clientNetwork("10.1.2.3").build().clientNetwork().orElseThrow());
        assertEquals("0.0.0.0/0", Bindings.builder().clientNetwork("0.0.0.0/0").build().clientNetwork().orElseThrow());
    }
}
