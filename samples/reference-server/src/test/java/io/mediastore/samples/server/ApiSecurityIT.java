package io.mediastore.samples.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API over real HTTPS: routing, headers, CORS, CSRF, rate limits, injection, tokens and ACL filtering. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiSecurityIT {
    @TempDir
    static Path dir;
    ReferenceServer server;
    TestServers.MovableClock clock = new TestServers.MovableClock();
    TestClient admin;
    TestClient alice;
    TestClient bob;

    @BeforeAll
    void start() throws Exception {
        server = ReferenceServer.start(TestServers.config(dir).clock(clock).loginLimits(3, 50, Duration.ofMinutes(5)).build());
        admin = TestServers.admin(server);
        alice = TestServers.user(server, admin, "alice", "editor");
        bob = TestServers.user(server, admin, "bob", "editor");
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    String uploadFile(TestClient c, String title, String content) {
        TestClient.Res r = c.upload(title, "desc", null, "f.txt", "text/plain", content.getBytes(StandardCharsets.UTF_8));
        assertEquals(201, r.status(), r.text());
        return r.json().get("id").asText();
    }

    @Test
    void undeclaredPathsAre404JsonWithSecurityHeaders() {
        for (String p : List.of("/", "/api", "/api/v1", "/api/v1/nope", "/api/v1/assets/x/y/z", "/health", "/WEB-INF/web.xml",
                "/api/v1/../health/live")) {
            TestClient.Res r = alice.get(p);
            assertEquals(404, r.status(), p);
            assertEquals("not_found", r.code(), p);
            assertTrue(r.header("content-type").startsWith("application/json"), p);
        }
        // an ambiguous path (empty segment) is refused by Jetty's URI compliance before any handler, as JSON
        TestClient.Res amb = alice.get("/api/v1/assets//");
        assertTrue(amb.status() == 400 || amb.status() == 404, "status " + amb.status());
        assertTrue(amb.header("content-type").startsWith("application/json"));
        TestClient.Res r = alice.send(alice.req("/api/v1/me").method("PUT", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals(405, r.status());
        TestClient.Res live = alice.get("/health/live");
        assertEquals("max-age=31536000; includeSubDomains", live.header("strict-transport-security"));
        assertEquals("nosniff", live.header("x-content-type-options"));
        assertEquals("no-referrer", live.header("referrer-policy"));
        assertEquals("DENY", live.header("x-frame-options"));
        assertEquals("default-src 'none'; frame-ancestors 'none'", live.header("content-security-policy"));
        assertNull(live.header("server"));
        assertEquals(200, alice.get("/health/ready").status());
    }

    @Test
    void webOriginServesOnlyTheAppAndConfig() {
        TestClient web = new TestClient(server.trustStore(), server.webUri(), null);
        TestClient.Res idx = web.get(server.webUri() + "/");
        assertEquals(200, idx.status());
        assertTrue(idx.header("content-security-policy").contains("script-src 'self'"));
        assertFalse(idx.header("content-security-policy").contains("unsafe-inline"));
        String api = server.apiUri().getScheme() + "://" + server.apiUri().getRawAuthority();
        assertTrue(idx.header("content-security-policy").contains("; media-src 'self' blob: " + api + ";"),
                "native HLS players load the playlist from the API origin: " + idx.header("content-security-policy"));
        TestClient.Res cfg = web.get(server.webUri() + "/config.json");
        assertEquals(server.apiUri() + "/api/v1", cfg.json().get("apiBase").asText());
        assertEquals(404, web.get(server.webUri() + "/nope.js").status());
        assertEquals(404, web.get(server.webUri() + "/META-INF/MANIFEST.MF").status());
        assertEquals(404, web.get(server.webUri() + "/api/v1/me").status());
    }

    @Test
    void corsOnlyForTheAllowlist() {
        TestClient.Res pre = alice.send(alice.req("/api/v1/assets").method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Access-Control-Request-Method", "POST").build());
        assertEquals(204, pre.status());
        assertEquals(server.webUri().toString(), pre.header("access-control-allow-origin"));
        assertEquals("true", pre.header("access-control-allow-credentials"));
        assertTrue(pre.header("access-control-allow-headers").contains("X-CSRF-Token"));
        TestClient evil = new TestClient(server.trustStore(), server.apiUri(), "https://evil.example");
        TestClient.Res r = evil.get("/health/live");
        assertNull(r.header("access-control-allow-origin"));
        TestClient.Res p2 = evil.send(evil.req("/api/v1/assets").method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
        assertNull(p2.header("access-control-allow-origin"));
    }

    @Test
    void csrfTokenAndOriginRequired() {
        String saved = alice.csrf;
        try {
            alice.csrf = null;
            TestClient.Res r = alice.post("/api/v1/collections", Map.of("name", "x"));
            assertEquals(403, r.status());
            assertEquals("csrf", r.code());
            alice.csrf = "wrong" + saved;
            assertEquals("csrf", alice.post("/api/v1/collections", Map.of("name", "x")).code());
        } finally {
            alice.csrf = saved;
        }
        // right token, foreign origin
        TestClient.Res r = alice.send(HttpRequest.newBuilder(alice.api.resolve("/api/v1/collections"))
                .header("Origin", "https://evil.example").header("X-CSRF-Token", alice.csrf).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build());
        assertEquals(403, r.status());
        assertEquals("csrf", r.code());
        assertEquals(201, alice.post("/api/v1/collections", Map.of("name", "ok")).status());
    }

    @Test
    void sessionCookieFlagsAndUnauthenticated() {
        TestClient c = new TestClient(server);
        assertEquals(401, c.get("/api/v1/me").status());
        assertEquals("unauthenticated", c.get("/api/v1/assets").code());
        TestClient.Res r = c.login("alice", "alice-password-123");
        String cookie = r.header("set-cookie");
        assertTrue(cookie.startsWith("ms_session="));
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"), cookie);
        assertEquals(204, c.post("/api/v1/auth/logout", Map.of()).status());
        assertEquals(401, c.get("/api/v1/me").status());
    }

    @Test
    void firstAdminMustChangePassword() throws Exception {
        Path other = dir.resolve("fresh");
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(other).build())) {
            TestClient c = new TestClient(s);
            String otp = new String(s.initialAdminPassword().orElseThrow());
            assertEquals(200, c.login("admin", otp).status());
            assertTrue(c.get("/api/v1/me").json().get("user").get("mustChangePassword").asBoolean());
            TestClient.Res r = c.get("/api/v1/assets");
            assertEquals(403, r.status());
            assertEquals("password_change_required", r.code());
        }
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(other).build())) {
            assertTrue(s.initialAdminPassword().isEmpty(), "the one-time password exists only on the first start");
        }
    }

    @Test
    void errorsJettyAnswersItselfCarryTheSecurityHeaders() throws Exception {
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(server.trustStore());
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (var s = ssl.getSocketFactory().createSocket("127.0.0.1", server.apiUri().getPort())) {
            // headers over the 16 KiB limit: Jetty answers 431 before any handler runs
            s.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000) + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String head = new String(s.getInputStream().readNBytes(4096), StandardCharsets.ISO_8859_1);
            head = head.substring(0, Math.max(0, head.indexOf("\r\n\r\n"))).toLowerCase(java.util.Locale.ROOT);
            assertTrue(head.startsWith("http/1.1 431"), head);
            assertTrue(head.contains("\r\nstrict-transport-security: max-age=31536000; includesubdomains"), head);
            assertTrue(head.contains("\r\nx-content-type-options: nosniff"), head);
            assertTrue(head.contains("\r\nx-frame-options: deny"), head);
            assertTrue(head.contains("\r\ncontent-security-policy: default-src 'none'; frame-ancestors 'none'"), head);
        }
    }

    @Test
    void uploadFileNamesAreUtf8TextAndApiAnswersAreNeverCached() {
        TestClient.Res ok = alice.upload(null, null, null, "Café 東京 🎬.txt", "text/plain", new byte[] {1});
        assertEquals(201, ok.status(), ok.text());
        assertEquals("Café 東京 🎬.txt", ok.json().get("title").asText(), "a blank title takes the file name, decoded as UTF-8");
        TestClient.Res control = alice.upload(null, null, null, "evil\u001b[31m.txt", "text/plain", new byte[] {1});
        assertEquals(400, control.status(), control.text());
        assertEquals("filename", control.json().get("error").get("field").asText(), control.text());
        // per-user answers, CSRF tokens among them, are kept by no cache
        assertEquals("no-store", alice.get("/api/v1/me").header("cache-control"));
        assertEquals("no-store", new TestClient(server).login("alice", "alice-password-123").header("cache-control"));
        assertEquals("no-store", alice.get("/api/v1/assets").header("cache-control"));
    }

    @Test
    void aBodyTheHandlerDoesNotReadIsReadBeforeTheAnswerSoTheConnectionCarriesTheNextRequest() throws Exception {
        TestClient quinn = TestServers.user(server, admin, "quinn", "viewer");
        String cookie = ((java.net.CookieManager) quinn.http.cookieHandler().orElseThrow()).getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("ms_session")).findFirst().orElseThrow().getValue();
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(server.trustStore());
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (var s = ssl.getSocketFactory().createSocket("127.0.0.1", server.apiUri().getPort())) {
            s.setSoTimeout(10_000);
            var out = s.getOutputStream();
            var in = new java.io.BufferedInputStream(s.getInputStream());
            // logout reads no body; its "{}" arrives after the headers, as a client may send it
            out.write(("POST /api/v1/auth/logout HTTP/1.1\r\nHost: localhost\r\nOrigin: " + quinn.origin + "\r\nX-CSRF-Token: "
                    + quinn.csrf + "\r\nCookie: ms_session=" + cookie + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(300);
            out.write("{}".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String first = head(in);
            assertTrue(first.startsWith("HTTP/1.1 204"), first);
            assertFalse(first.toLowerCase(java.util.Locale.ROOT).contains("connection: close"), first);
            out.write("GET /health/live HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String second = head(in);
            assertTrue(second.startsWith("HTTP/1.1 200"), "the connection must carry the next request: " + second);
        }
    }

    /** The status line and headers of one response, whose body is then skipped by its Content-Length. */
    private static String head(java.io.InputStream in) throws java.io.IOException {
        StringBuilder h = new StringBuilder();
        while (!h.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                return h.length() == 0 ? "connection closed" : h.toString();
            }
            h.append((char) c);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(h);
        in.readNBytes(m.find() ? Integer.parseInt(m.group(1)) : 0);
        return h.toString();
    }

    @Test
    void loginRateLimitWithBackoff() {
        TestClient c = new TestClient(server);
        TestServers.user(server, admin, "carol", "viewer");
        for (int i = 0; i < 3; i++) {
            assertEquals(401, c.login("carol", "wrong-password-" + i).status());
        }
        TestClient.Res r = c.login("carol", "carol-password-123");
        assertEquals(429, r.status());
        assertEquals("rate_limited", r.code());
        assertNotNull(r.header("retry-after"));
        assertTrue(r.json().get("error").get("retryAfterSeconds").asLong() >= 1);
        clock.advance(Duration.ofSeconds(3));
        assertEquals(200, c.login("carol", "carol-password-123").status());
    }

    @Test
    void parallelGuessesAreLimitedLikeSequentialOnes() throws Exception {
        TestServers.user(server, admin, "grace", "viewer");
        int n = 12;
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestClient c = new TestClient(server);
            assertEquals(200, c.get("/health/live").status()); // connected before the burst
            clients.add(c);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                TestClient c = clients.get(i);
                String guess = "parallel-guess-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return c.login("grace", guess).status();
                }));
            }
            go.countDown();
            int checked = 0;
            int limited = 0;
            for (var f : results) {
                int status = f.get();
                checked += status == 401 ? 1 : 0;
                limited += status == 429 ? 1 : 0;
            }
            // the limit is 3 failures per user name: a burst gets no more guesses than a sequence
            assertEquals(3, checked, "guesses checked against the password");
            assertEquals(n - 3, limited);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void passwordChangeGuessesAreRateLimited() {
        TestClient frank = TestServers.user(server, admin, "frank", "viewer");
        for (int i = 0; i < 3; i++) {
            TestClient.Res r = frank.post("/api/v1/auth/password",
                    Map.of("currentPassword", "guess-number-" + i + "-xx", "newPassword", "a-brand-new-password-1"));
            assertEquals(403, r.status(), r.text());
        }
        TestClient.Res limited = frank.post("/api/v1/auth/password",
                Map.of("currentPassword", "frank-password-123", "newPassword", "a-brand-new-password-1"));
        assertEquals(429, limited.status(), "a stolen session cannot go on guessing, not even with the right password: " + limited.text());
        assertNotNull(limited.header("retry-after"));
        assertEquals(429, new TestClient(server).login("frank", "frank-password-123").status(), "the user name is blocked for logins too");
        clock.advance(Duration.ofSeconds(3));
        assertEquals(204, frank.post("/api/v1/auth/password",
                Map.of("currentPassword", "frank-password-123", "newPassword", "a-brand-new-password-1")).status());
        // a success starts the user name afresh
        assertEquals(403, frank.post("/api/v1/auth/password",
                Map.of("currentPassword", "wrong-once-more-xx", "newPassword", "another-new-password-2")).status());
    }

    @Test
    void loginRateLimitPerAddress() throws Exception {
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(dir.resolve("perip"))
                .loginLimits(100, 4, Duration.ofMinutes(1)).build())) {
            TestClient a = TestServers.admin(s);
            TestClient c = new TestClient(s);
            // failures spread over many user names still count against the address
            for (int i = 0; i < 4; i++) {
                assertEquals(401, c.login("nobody" + i, "wrong-password-xx").status());
            }
            TestClient.Res r = c.login("admin", TestServers.ADMIN_PASSWORD);
            assertEquals(429, r.status(), "4 failures from this address block it, even for the right password: " + r.text());
            assertEquals(429, new TestClient(s).login("someone-else", "whatever-password").status());
            assertEquals(200, a.get("/api/v1/me").status(), "existing sessions are not affected");
        }
    }

    @Test
    void promotingAUserToAdminTakesEffectAtOnce() {
        TestClient ivan = TestServers.user(server, admin, "ivan", "viewer");
        String secret = uploadFile(alice, "alice only", "x");
        assertEquals(404, ivan.get("/api/v1/assets/" + secret).status());
        assertEquals(403, ivan.get("/api/v1/users").status());
        String ivanId = ivan.get("/api/v1/me").json().get("user").get("id").asText();
        TestClient.Res p = admin.json("PATCH", "/api/v1/users/" + ivanId, Map.of("roles", List.of("admin")));
        assertEquals(200, p.status(), p.text());
        assertEquals(200, ivan.get("/api/v1/assets/" + secret).status());
        assertEquals(200, ivan.get("/api/v1/users").status());
        admin.json("PATCH", "/api/v1/users/" + ivanId, Map.of("roles", List.of("viewer")));
        assertEquals(404, ivan.get("/api/v1/assets/" + secret).status());
        assertEquals(400, admin.json("PATCH", "/api/v1/users/" + ivanId, Map.of("roles", List.of("superuser"))).status());
    }

    @Test
    void xssPayloadsAreStoredAndReturnedAsJsonText() {
        String payload = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
        String id = uploadFile(alice, payload, "hello");
        TestClient.Res r = alice.get("/api/v1/assets/" + id);
        assertTrue(r.header("content-type").startsWith("application/json"));
        assertEquals(payload, r.json().get("title").asText());
        assertEquals("nosniff", r.header("x-content-type-options"));
        TestClient.Res p = alice.json("PATCH", "/api/v1/assets/" + id, Map.of("description", payload));
        assertEquals(payload, p.json().get("description").asText());
    }

    @Test
    void sqlInjectionStringsChangeNothing() {
        String mine = uploadFile(alice, "injection probe", "x");
        List<String> attacks = List.of("' OR '1'='1", "%' OR 1=1 --", "'; DROP TABLE ms_asset; --", "\\' OR 1=1#",
                "%", "_", "a_%", "\" OR \"\"=\"", "1) OR (1=1");
        for (String a : attacks) {
            TestClient.Res r = bob.get("/api/v1/assets?q=" + java.net.URLEncoder.encode(a, StandardCharsets.UTF_8));
            assertEquals(200, r.status(), a);
            for (JsonNode item : r.json().get("items")) {
                assertFalse(item.get("id").asText().equals(mine), "bob must never see alice's asset via " + a);
            }
            for (String field : List.of("collectionId", "kind", "limit", "cursor")) {
                TestClient.Res f = bob.get("/api/v1/assets?" + field + "=" + java.net.URLEncoder.encode(a, StandardCharsets.UTF_8));
                assertEquals(400, f.status(), field + "=" + a);
                assertEquals("validation", f.code());
            }
        }
        assertEquals(200, alice.get("/api/v1/assets/" + mine).status(), "the table is still there");
        TestClient.Res own = alice.get("/api/v1/assets?q=" + java.net.URLEncoder.encode("injection probe", StandardCharsets.UTF_8));
        assertEquals(1, own.json().get("items").size());
    }

    @Test
    void downloadTokens() {
        String id = uploadFile(alice, "dl", "the file content");
        String other = uploadFile(alice, "dl2", "other content");
        TestClient.Res link = alice.post("/api/v1/assets/" + id + "/download-links", Map.of("singleUse", true, "ttlSeconds", 120));
        assertEquals(201, link.status(), link.text());
        String url = link.json().get("url").asText();
        TestClient anon = new TestClient(server.trustStore(), server.apiUri(), null);
        // another asset's token, no token, garbage token
        String token = url.substring(url.indexOf("token=") + 6);
        TestClient.Res wrong = anon.get("/api/v1/downloads/" + other + "?token=" + token);
        assertEquals(403, wrong.status());
        assertFalse(wrong.text().contains("other content"));
        assertEquals(401, anon.get("/api/v1/downloads/" + id).status());
        assertEquals(401, anon.get("/api/v1/downloads/" + id + "?token=ms1.garbage").status());
        TestClient.Res ok = anon.get(url);
        assertEquals(200, ok.status());
        assertArrayEquals("the file content".getBytes(StandardCharsets.UTF_8), ok.body());
        assertEquals("no-store", ok.header("cache-control"));
        assertTrue(ok.header("content-disposition").startsWith("attachment; filename*=UTF-8''"));
        TestClient.Res again = anon.get(url);
        assertEquals(403, again.status());
        assertEquals("ALREADY_USED", again.json().get("error").get("reason").asText());
        // bob may not even create a link
        assertEquals(404, bob.post("/api/v1/assets/" + id + "/download-links", Map.of()).status());
        // ttl limits
        assertEquals(400, alice.post("/api/v1/assets/" + id + "/download-links", Map.of("ttlSeconds", 10)).status());
        assertEquals(400, alice.post("/api/v1/assets/" + id + "/download-links", Map.of("ttlSeconds", 90000)).status());
        // expiry
        String multi = alice.post("/api/v1/assets/" + id + "/download-links", Map.of("ttlSeconds", 60)).json().get("url").asText();
        assertEquals(200, anon.get(multi).status());
        assertEquals(200, anon.get(multi).status());
        clock.advance(Duration.ofSeconds(60 + 31));
        TestClient.Res expired = anon.get(multi);
        assertEquals(401, expired.status());
        assertEquals("EXPIRED", expired.json().get("error").get("reason").asText());
    }

    @Test
    void listingIsFilteredByTheAclBeforePaging() {
        TestClient dave = TestServers.user(server, admin, "dave", "editor");
        TestClient erin = TestServers.user(server, admin, "erin", "viewer");
        Set<String> shared = new HashSet<>();
        for (int i = 0; i < 7; i++) {
            String id = uploadFile(dave, "page item " + i, "c" + i);
            if (i % 2 == 0) {
                TestClient.Res s = dave.post("/api/v1/assets/" + id + "/shares",
                        Map.of("principalType", "user", "principal", "erin", "role", "viewer"));
                assertEquals(201, s.status(), s.text());
                shared.add(id);
            }
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            TestClient.Res r = erin.get("/api/v1/assets?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertEquals(200, r.status(), r.text());
            JsonNode items = r.json().get("items");
            assertTrue(items.size() == 2 || r.json().get("nextCursor").isNull(), "full pages until the last");
            items.forEach(i -> seen.add(i.get("id").asText()));
            cursor = r.json().get("nextCursor").isNull() ? null : r.json().get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertEquals(shared, new HashSet<>(seen));
        assertEquals(seen.size(), new HashSet<>(seen).size());
        assertEquals(2, pages);
        String notShared = dave.get("/api/v1/assets?q=page%20item%201").json().get("items").get(0).get("id").asText();
        assertEquals(404, erin.get("/api/v1/assets/" + notShared).status());
        // erin may view but not edit
        String one = shared.iterator().next();
        TestClient.Res patch = erin.json("PATCH", "/api/v1/assets/" + one, Map.of("title", "hijack"));
        assertEquals(403, patch.status());
        JsonNode perms = erin.get("/api/v1/assets/" + one).json().get("permissions");
        assertEquals("[\"view\",\"download\",\"stream\"]", perms.toString());
        // the admin sees everything
        assertTrue(admin.get("/api/v1/assets?limit=100").json().get("items").size() >= 7);
        // viewers cannot upload
        TestClient.Res up = erin.upload("x", null, null, "x.txt", "text/plain", new byte[] {1});
        assertEquals(403, up.status());
    }

    @Test
    void aShareNeverOutlastsItsAuthorsOwnRightToShare() {
        TestClient owner = TestServers.user(server, admin, "olga", "editor");
        TestClient judy = TestServers.user(server, admin, "judy", "viewer");
        TestClient kate = TestServers.user(server, admin, "kate", "viewer");
        String id = uploadFile(owner, "quarterly numbers", "secret");
        java.time.Instant judyEnds = clock.instant().plus(Duration.ofMinutes(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        assertEquals(201, owner.post("/api/v1/assets/" + id + "/shares",
                Map.of("principalType", "user", "principal", "judy", "role", "editor", "notAfter", judyEnds.toString())).status());

        TestClient.Res self = judy.post("/api/v1/assets/" + id + "/shares", Map.of("principalType", "user", "principal", "judy", "role", "editor"));
        assertEquals(400, self.status(), self.text());
        // judy may share on, but only for as long as she may share herself
        TestClient.Res open = judy.post("/api/v1/assets/" + id + "/shares", Map.of("principalType", "user", "principal", "kate", "role", "editor"));
        assertEquals(201, open.status(), open.text());
        assertEquals(judyEnds.toString(), open.json().get("notAfter").asText(), "a share without an end ends with its author's");
        java.time.Instant sooner = judyEnds.minus(Duration.ofMinutes(5));
        TestClient.Res shorter = judy.post("/api/v1/assets/" + id + "/shares",
                Map.of("principalType", "role", "principal", "viewer", "role", "viewer", "notAfter", sooner.toString()));
        assertEquals(sooner.toString(), shorter.json().get("notAfter").asText(), "an earlier end stays");
        TestClient.Res later = judy.post("/api/v1/assets/" + id + "/shares",
                Map.of("principalType", "user", "principal", "kate", "role", "viewer", "notAfter", judyEnds.plus(Duration.ofDays(30)).toString()));
        assertEquals(judyEnds.toString(), later.json().get("notAfter").asText());
        TestClient.Res ownerOpen = owner.post("/api/v1/assets/" + id + "/shares", Map.of("principalType", "user", "principal", "bob", "role", "viewer"));
        assertTrue(ownerOpen.json().get("notAfter").isNull(), "the owner's shares end only when the owner says: " + ownerOpen.text());

        assertEquals(200, kate.get("/api/v1/assets/" + id).status());
        clock.advance(Duration.ofMinutes(20));
        assertEquals(404, judy.get("/api/v1/assets/" + id).status());
        assertEquals(404, kate.get("/api/v1/assets/" + id).status(), "what judy shared ended with her share");
        assertEquals(200, bob.get("/api/v1/assets/" + id).status());
    }

    @Test
    void groupsRolesCollectionsAndShares() {
        TestClient gina = TestServers.user(server, admin, "gina", "viewer");
        TestClient hank = TestServers.user(server, admin, "hank", "viewer");
        assertEquals(201, admin.post("/api/v1/groups", Map.of("name", "staff")).status());
        assertEquals(409, admin.post("/api/v1/groups", Map.of("name", "staff")).status());
        assertEquals(204, admin.post("/api/v1/groups/staff/members", Map.of("username", "gina")).status());
        JsonNode groups = admin.get("/api/v1/groups").json().get("items");
        assertTrue(groups.toString().contains("\"members\":[\"gina\"]"), groups.toString());
        assertEquals(403, gina.get("/api/v1/users").status(), "admin endpoints need the admin role");
        assertEquals(403, gina.post("/api/v1/groups", Map.of("name", "mine")).status());
        assertEquals(3, alice.get("/api/v1/roles").json().get("items").size());

        // a collection, an upload into it, filtering by it
        TestClient.Res col = alice.post("/api/v1/collections", Map.of("name", "Holiday"));
        assertEquals(201, col.status(), col.text());
        String cid = col.json().get("id").asText();
        TestClient.Res up = alice.upload("in collection", null, cid, "c.txt", "text/plain", new byte[] {7});
        assertEquals(201, up.status(), up.text());
        String id = up.json().get("id").asText();
        assertEquals(cid, up.json().get("collectionId").asText());
        JsonNode inCol = alice.get("/api/v1/assets?collectionId=" + cid).json().get("items");
        assertEquals(1, inCol.size());
        assertEquals(0, bob.get("/api/v1/assets?collectionId=" + cid).json().get("items").size());
        assertFalse(bob.get("/api/v1/collections").text().contains(cid));
        TestClient.Res intr = bob.upload("intruder", null, cid, "x.txt", "text/plain", new byte[] {1});
        assertTrue(intr.status() == 404 || intr.status() == 403, intr.text());

        // share with a group: its members see the asset; others do not
        assertEquals(404, gina.get("/api/v1/assets/" + id).status());
        TestClient.Res sg = alice.post("/api/v1/assets/" + id + "/shares", Map.of("principalType", "group", "principal", "staff", "role", "viewer"));
        assertEquals(201, sg.status(), sg.text());
        assertEquals(200, gina.get("/api/v1/assets/" + id).status());
        assertEquals(404, hank.get("/api/v1/assets/" + id).status());
        // share with a role: every user holding it sees the asset
        TestClient.Res sr = alice.post("/api/v1/assets/" + id + "/shares", Map.of("principalType", "role", "principal", "viewer", "role", "viewer"));
        assertEquals(201, sr.status(), sr.text());
        assertEquals(200, hank.get("/api/v1/assets/" + id).status());
        assertEquals(2, alice.get("/api/v1/assets/" + id + "/shares").json().get("items").size());
        assertEquals(403, hank.get("/api/v1/assets/" + id + "/shares").status(), "viewers may see but not manage shares");
        // a share with an expiry in the past is refused; unknown principals are refused
        assertEquals(400, alice.post("/api/v1/assets/" + id + "/shares",
                Map.of("principalType", "user", "principal", "bob", "role", "viewer", "notAfter", "2000-01-01T00:00:00Z")).status());
        assertEquals(400, alice.post("/api/v1/assets/" + id + "/shares",
                Map.of("principalType", "group", "principal", "nosuch", "role", "viewer")).status());
        assertEquals(204, alice.json("DELETE", "/api/v1/assets/" + id + "/shares/" + sr.json().get("id").asText(), Map.of()).status());
        assertEquals(404, hank.get("/api/v1/assets/" + id).status());
        // the owner deletes it; it is gone for everyone
        assertEquals(204, alice.json("DELETE", "/api/v1/assets/" + id, Map.of()).status());
        assertEquals(404, gina.get("/api/v1/assets/" + id).status());
        assertEquals(404, alice.get("/api/v1/assets/" + id).status());
    }

    @Test
    void uploadSizeLimitAndStreaming() throws Exception {
        Path d2 = dir.resolve("small");
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(d2).uploadMaxBytes(1000).build())) {
            TestClient a = TestServers.admin(s);
            assertEquals(201, a.upload("ok", null, null, "a.bin", "application/octet-stream", new byte[1000]).status());
            TestClient.Res big = a.upload("big", null, null, "b.bin", "application/octet-stream", new byte[5000]);
            assertEquals(413, big.status(), big.text());
            assertEquals("too_large", big.code());
            byte[] content = new byte[3 * 1024 * 1024 / 4];
            new java.util.Random(1).nextBytes(content);
        }
        // a multi-megabyte file with bytes that look like the boundary start, round trip through the blob store
        byte[] content = new byte[3 * 1024 * 1024];
        new java.util.Random(7).nextBytes(content);
        for (int i = 0; i < content.length; i += 4096) {
            content[i] = '\r';
            content[i + 1] = '\n';
            content[i + 2] = '-';
        }
        TestClient.Res r = alice.upload("big", null, null, "big.bin", "application/octet-stream", content);
        assertEquals(201, r.status(), r.text());
        assertEquals(content.length, r.json().get("size").asLong());
        String url = alice.post("/api/v1/assets/" + r.json().get("id").asText() + "/download-links", Map.of()).json().get("url").asText();
        assertArrayEquals(content, alice.get(url).body());
        assertEquals(64, r.json().get("sha256").asText().length());
    }

    @Test
    void errorsNeverLeakStackTraces() {
        TestClient.Res r = alice.send(alice.req("/api/v1/collections").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": [1,2,{")).build());
        assertEquals(400, r.status());
        assertEquals("validation", r.code());
        assertFalse(r.text().contains("Exception"));
        assertFalse(r.text().contains("at io."));
        TestClient.Res dup = alice.send(alice.req("/api/v1/collections").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\",\"name\":\"b\"}")).build());
        assertEquals(400, dup.status());
        URI u = server.apiUri();
        assertNotNull(u);
    }
}
