package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.spi.InMemoryKeySource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignedUrlsTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
    final TokenService tokens = TokenService.builder(
            new InMemoryKeySource(KeyRing.of(TokenKey.generate(KeyType.HMAC_SHA256, "k")))).clock(clock).build();
    final SignedUrls urls = new SignedUrls(tokens);
    final SignedCookies cookies = new SignedCookies(tokens);

    static TokenSpec.Builder spec(Resource r) {
        return TokenSpec.builder().subject("user-42").resource(r).actions("download", "stream")
                .lifetime(Duration.ofMinutes(10));
    }

    static Reason reason(Runnable r) {
        return assertThrows(TokenRejectedException.class, r::run).reason();
    }

    /** Each path as a user would write it, and other spellings of it that clients and proxies produce. */
    @ParameterizedTest
    @ValueSource(strings = {
            "/assets/my file.mp4|/assets/my%20file.mp4|/assets/my%20file.mp4",
            "/assets/a+b.pdf|/assets/a%2Bb.pdf|/assets/a%2bb.pdf",
            "/assets/~user/x.jpg|/assets/%7Euser/x.jpg|/assets/%7euser/x.jpg",
            "/assets/100%25 sure.txt|/assets/100%25%20sure.txt|/assets/100%25%20sure.txt",
            "/assets/caf%C3%A9.png|/assets/café.png|/assets/caf%c3%a9.png",
            "/assets/a%2Fb|/assets/a%2fb|/assets/a%2Fb"})
    void pathSpellingsVerifyAlike(String row) {
        String[] p = row.split("\\|");
        String signed = urls.sign(p[0], Map.of(), spec(Resource.exact(p[0])).build());
        String token = signed.substring(signed.indexOf("ms_token=") + 9);
        assertEquals("user-42", urls.verify(signed, "download", ClientContext.none()).subject());
        for (int i = 1; i < p.length; i++) {
            assertEquals("user-42", urls.verify(p[i] + "?ms_token=" + token, "download", ClientContext.none()).subject(),
                    p[i]);
        }
    }

    @Test
    void plusInAPathIsNotASpace() {
        String signed = urls.sign("/a+b", Map.of(), spec(Resource.exact("/a+b")).build());
        String token = signed.substring(signed.indexOf("ms_token=") + 9);
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify("/a%20b?ms_token=" + token, "download", ClientContext.none())));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify("/a%2Fb?ms_token=" + token, "download", ClientContext.none())));
        // an escaped slash is data, not a separator
        String slash = urls.sign("/a%2Fb", Map.of(), spec(Resource.exact("/a%2Fb")).build());
        String t2 = slash.substring(slash.indexOf("ms_token=") + 9);
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify("/a/b?ms_token=" + t2, "download", ClientContext.none())));
    }

    @Test
    void chosenQueryParametersAreSignedInAnyOrderAndSpelling() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response-content-disposition", "attachment; filename=\"my file+1.mp4\"");
        q.put("v", "2");
        String signed = urls.sign("/assets/1/original", q, spec(Resource.exact("/assets/1/original")).build());
        assertFalse(signed.contains(" "));
        urls.verify(signed, "download", ClientContext.none());
        String token = signed.substring(signed.indexOf("ms_token=") + 9);
        // reordered, '+' for space, lower-case escapes: same request
        String respelled = "/assets/1/original?ms_token=" + token + "&v=2&response-content-disposition="
                + "attachment%3b+filename%3D%22my+file%2B1.mp4%22";
        urls.verify(respelled, "download", ClientContext.none());
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify(signed.replace("v=2", "v=3"), "download", ClientContext.none())));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify(signed + "&extra=1", "download", ClientContext.none())));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify(signed.replace("v=2&", ""), "download", ClientContext.none())));
        assertEquals(Reason.WRONG_ACTION, reason(() -> urls.verify(signed, "delete", ClientContext.none())));
    }

    @Test
    void badRequestsAreMalformed() {
        String signed = urls.sign("/a", Map.of(), spec(Resource.exact("/a")).build());
        assertEquals(Reason.MALFORMED, reason(() -> urls.verify("/a", "download", ClientContext.none())));
        assertEquals(Reason.MALFORMED, reason(() -> urls.verify("/a%zz" + signed.substring(2), "download", ClientContext.none())));
        assertEquals(Reason.MALFORMED, reason(() -> urls.verify(signed + "&ms_token=x", "download", ClientContext.none())));
        assertEquals(Reason.MALFORMED, reason(() -> urls.verify("a" + signed, "download", ClientContext.none())));
    }

    @Test
    void expiredLinksAreRefused() {
        String signed = urls.sign("/a", Map.of(), spec(Resource.exact("/a")).build());
        clock.advance(Duration.ofMinutes(11));
        assertEquals(Reason.EXPIRED, reason(() -> urls.verify(signed, "download", ClientContext.none())));
    }

    @Test
    void hlsPrefixLinkCoversPlaylistSegmentsAndKeysOnly() {
        String playlist = urls.sign("/video/123/hls/master.m3u8", Map.of(), spec(Resource.prefix("/video/123/hls/")).build());
        String token = playlist.substring(playlist.indexOf("ms_token=") + 9);
        urls.verify(playlist, "stream", ClientContext.none());
        urls.verify("/video/123/hls/720p/seg-00042.ts?ms_token=" + token, "stream", ClientContext.none());
        urls.verify("/video/123/hls/keys/k1.key?ms_token=" + token, "stream", ClientContext.none());
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify("/video/124/hls/master.m3u8?ms_token=" + token, "stream", ClientContext.none())));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify("/video/123/hls/../../124/hls/k?ms_token=" + token, "stream", ClientContext.none())));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify("/video/123/hls/%2E%2E/%2e%2e/124/k?ms_token=" + token, "stream", ClientContext.none())));
        // what some server reads as a separator or a path parameter could hide a ".." as well
        for (String hidden : List.of("..\\..\\124/k", "..%5C..%5c124/k", "..;/..;/124/k", "..%3B/..%3b/124/k",
                "..%2F..%2f124/k", "x;y/k")) {
            assertEquals(Reason.WRONG_RESOURCE, reason(() -> urls.verify("/video/123/hls/" + hidden + "?ms_token=" + token, "stream",
                    ClientContext.none())), hidden);
        }
        // a query may still carry them
        urls.verify("/video/123/hls/seg-1.ts?ms_token=" + token + "&x=%2F%5C%3B", "stream", ClientContext.none());
        assertThrows(IllegalArgumentException.class, () -> urls.sign("/video/123/hls/x", Map.of("a", "b"),
                spec(Resource.prefix("/video/123/hls/")).build()));
        assertThrows(IllegalArgumentException.class, () -> urls.sign("/video/124/x", Map.of(),
                spec(Resource.prefix("/video/123/hls/")).build()));
    }

    @Test
    void signedCookiesScopeToAPrefixAndRefresh() {
        String setCookie = cookies.issue(spec(Resource.prefix("/video/123/hls/")).build());
        assertTrue(setCookie.contains("; Path=/video/123/hls/; Max-Age=600; Secure; HttpOnly; SameSite=Strict"), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String header = "theme=dark; " + cookie + "; lang=en";
        Grant g = cookies.verify(header, "/video/123/hls/seg-1.ts?cache=1", "stream", ClientContext.none());
        assertEquals(Optional.empty(), cookies.refresh(g));
        assertEquals(Reason.WRONG_RESOURCE, reason(() -> cookies.verify(header, "/video/9/hls/seg-1.ts", "stream", ClientContext.none())));
        assertEquals(Reason.MALFORMED, reason(() -> cookies.verify("theme=dark", "/video/123/hls/seg-1.ts", "stream", ClientContext.none())));

        // a long view: past half the lifetime, each verified request may bring a fresh cookie
        clock.advance(Duration.ofMinutes(6));
        Grant later = cookies.verify(header, "/video/123/hls/seg-90.ts", "stream", ClientContext.none());
        String fresh = cookies.refresh(later).orElseThrow();
        String freshCookie = fresh.substring(0, fresh.indexOf(';'));
        clock.advance(Duration.ofMinutes(8)); // the first cookie has expired by now
        assertEquals(Reason.EXPIRED, reason(() -> cookies.verify(header, "/video/123/hls/seg-200.ts", "stream", ClientContext.none())));
        Grant g2 = cookies.verify(freshCookie, "/video/123/hls/seg-200.ts", "stream", ClientContext.none());
        assertEquals(g.resource(), g2.resource());
        assertEquals(g.actions(), g2.actions());
        // several cookies for several prefixes: the one that fits wins
        String other = cookies.issue(spec(Resource.prefix("/video/7/hls/")).build());
        String both = other.substring(0, other.indexOf(';')) + "; " + freshCookie;
        cookies.verify(both, "/video/123/hls/seg-201.ts", "stream", ClientContext.none());
        // signing the user out stops both verification and refresh
        tokens.revokeSubject("user-42");
        assertEquals(Reason.REVOKED, reason(() -> cookies.verify(both, "/video/123/hls/seg-202.ts", "stream", ClientContext.none())));
        assertThrows(IllegalArgumentException.class, () -> cookies.issue(spec(Resource.exact("/a")).build()));
        assertThrows(IllegalArgumentException.class, () -> cookies.issue(spec(Resource.prefix("/v/")).maxUses(1).build()));
        // nor does a refresh turn a signed URL's limited or exact grant into an unlimited cookie
        String limited = urls.sign("/v/a", Map.of(), spec(Resource.prefix("/v/")).subject("user-9").maxUses(3).build());
        Grant once = urls.verify(limited, "stream", ClientContext.none());
        String exact = urls.sign("/v/b", Map.of(), spec(Resource.exact("/v/b")).subject("user-9").build());
        Grant exactGrant = urls.verify(exact, "stream", ClientContext.none());
        clock.advance(Duration.ofMinutes(9)); // well past half their lifetime: a cookie's grant would be refreshed now
        assertEquals(Optional.empty(), cookies.refresh(once));
        assertEquals(Optional.empty(), cookies.refresh(exactGrant));
    }
}
