package io.mediastore.samples.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operations: secret rotation while running, legacy-password plugins, graceful shutdown, restart keeps TLS and data. */
class OperationsIT {
    @TempDir
    Path dir;

    static String digestOf(ServerConfig cfg, String username) throws Exception {
        try (Connection c = DriverManager.getConnection(cfg.dbUrl(), cfg.dbUser(), cfg.dbPassword());
             PreparedStatement ps = c.prepareStatement("SELECT password_hash FROM ms_user WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void everySecretRotatesWhileRunning() throws Exception {
        URI store = URI.create("encrypted:?keys=keyring&store=" + URLEncoder.encode(dir.resolve("blobs").toUri().toString(),
                StandardCharsets.UTF_8));
        ServerConfig cfg = TestServers.config(dir.resolve("srv")).blobUri(store).build();
        try (ReferenceServer s = ReferenceServer.start(cfg)) {
            TestClient admin = TestServers.admin(s);
            byte[] content = "rotate me".getBytes(StandardCharsets.UTF_8);
            String id = admin.upload("r", null, null, "r.txt", "text/plain", content).json().get("id").asText();
            String before = admin.post("/api/v1/assets/" + id + "/download-links", Map.of()).json().get("url").asText();
            String digestBefore = digestOf(cfg, "admin");
            for (String name : new String[] {"token-keys", "token-wrap", "pepper", "hls-master", "storage-master"}) {
                TestClient.Res r = admin.post("/api/v1/admin/secrets/" + name + "/rotate", Map.of());
                assertEquals(200, r.status(), name + ": " + r.text());
            }
            var storageRotation = admin.post("/api/v1/admin/secrets/storage-master/rotate", Map.of()).json();
            assertEquals(1, storageRotation.get("rewrapped").asInt());
            assertEquals(0, storageRotation.get("failed").asInt(), "every blob is under the new master key");
            assertEquals(0, storageRotation.get("copiesUnconfirmed").asInt());
            assertEquals(404, admin.post("/api/v1/admin/secrets/nope/rotate", Map.of()).status());
            // tokens from before every rotation still verify; new ones too; the blob re-wrapped still opens
            TestClient.Res old = admin.get(before);
            assertEquals(200, old.status(), old.text());
            assertArrayEquals(content, old.body());
            String after = admin.post("/api/v1/assets/" + id + "/download-links", Map.of()).json().get("url").asText();
            assertArrayEquals(content, admin.get(after).body());
            // the old pepper still verifies; the login re-hashes under the new one
            TestClient again = new TestClient(s);
            assertEquals(200, again.login("admin", TestServers.ADMIN_PASSWORD).status());
            assertNotEquals(digestBefore, digestOf(cfg, "admin"));
            assertEquals(200, new TestClient(s).login("admin", TestServers.ADMIN_PASSWORD).status());
            // non-admins may not rotate
            TestClient v = TestServers.user(s, admin, "vic", "viewer");
            assertEquals(403, v.post("/api/v1/admin/secrets/pepper/rotate", Map.of()).status());
            assertEquals(200, admin.get("/health/ready").status());
        }
        // and a restart reads the rotated secrets file
        try (ReferenceServer s = ReferenceServer.start(cfg)) {
            TestClient c = new TestClient(s);
            assertEquals(200, c.login("admin", TestServers.ADMIN_PASSWORD).status());
            JsonNode items = c.get("/api/v1/assets").json().get("items");
            String id = items.get(0).get("id").asText();
            String url = c.post("/api/v1/assets/" + id + "/download-links", Map.of()).json().get("url").asText();
            assertArrayEquals("rotate me".getBytes(StandardCharsets.UTF_8), c.get(url).body());
        }
    }

    @Test
    void plainHttpOnlyRedirectsWhenConfigured() throws Exception {
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(dir.resolve("redirect")).httpRedirectPort(0).build())) {
            java.net.http.HttpClient plain = java.net.http.HttpClient.newHttpClient();
            // find the redirect port: the only plain-HTTP connector; the API and web ports speak TLS only
            int port = s.redirectPort();
            HttpResponse<String> r = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(308, r.statusCode());
            String web = s.webUri().getScheme() + "://" + s.webUri().getRawAuthority();
            assertEquals(web + "/x", r.headers().firstValue("location").orElseThrow());
            // the target is the configured web origin, whatever Host the request names
            try (java.net.Socket raw = new java.net.Socket("127.0.0.1", port)) {
                raw.getOutputStream().write("GET /login HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                String answer = new String(raw.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertTrue(answer.startsWith("HTTP/1.1 308"), answer);
                assertTrue(answer.contains("\r\nLocation: " + web + "/login\r\n"), answer);
            }
            HttpResponse<String> post = plain.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/auth/login"))
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, post.statusCode());
            assertEquals("max-age=31536000; includeSubDomains", post.headers().firstValue("strict-transport-security").orElse(null));
        }
    }

    @Test
    void aDataDirectoryMadeBeforehandIsMadeOwnerOnly() throws Exception {
        Path data = Files.createDirectories(dir.resolve("premade"));
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(data).build())) {
            assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(data)),
                    "the database, blobs and TLS key under it must not be readable by other users");
        }
    }

    @Test
    void legacyVerifierPluginFromTheClasspathMigratesDigests() throws Exception {
        ServerConfig cfg = TestServers.config(dir.resolve("legacy")).build();
        try (ReferenceServer s = ReferenceServer.start(cfg)) {
            TestClient admin = TestServers.admin(s);
            TestServers.user(s, admin, "oldtimer", "viewer");
            try (Connection c = DriverManager.getConnection(cfg.dbUrl(), cfg.dbUser(), cfg.dbPassword());
                 PreparedStatement ps = c.prepareStatement("UPDATE ms_user SET password_hash = ? WHERE username = ?")) {
                // a glibc SHA-512 crypt digest (openssl passwd -6), verified by the sample plugin samples/plugin-sha-crypt,
                // which is on the server's class path as a plain runtime dependency: no code or configuration names it
                ps.setString(1, "$6$Ab./9z$Prvb00oCHxpHGZ5ZuORJrvDC3By.M8urb98FDipC8Be4NV1pK/EXz78PpJmQosI6Ny9uhoSW/oRyPe7qR8iFo0");
                ps.setString(2, "oldtimer");
                assertEquals(1, ps.executeUpdate());
            }
            TestClient u = new TestClient(s);
            assertEquals(401, u.login("oldtimer", "wrong-password-42").status());
            assertEquals(200, u.login("oldtimer", "correct horse battery staple").status());
            assertTrue(digestOf(cfg, "oldtimer").startsWith("$argon2id$"), "re-hashed to Argon2id on login");
            assertEquals(200, new TestClient(s).login("oldtimer", "correct horse battery staple").status());
        }
    }

    @Test
    void gracefulShutdownFinishesAnInFlightUpload() throws Exception {
        ServerConfig cfg = TestServers.config(dir.resolve("graceful")).shutdownGrace(java.time.Duration.ofSeconds(10)).build();
        ReferenceServer s = ReferenceServer.start(cfg);
        TestClient admin = TestServers.admin(s);
        // a slow upload: the body trickles in while the server is asked to stop
        String boundary = "slowboundary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"slow.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[16 * 1024];
        int chunks = 20;
        java.io.InputStream body = new java.io.SequenceInputStream(java.util.Collections.enumeration(java.util.List.of(
                new java.io.ByteArrayInputStream(head),
                new java.io.InputStream() {
                    int left = chunk.length * chunks;

                    @Override
                    public int read() {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : 0;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) {
                        if (left == 0) {
                            return -1;
                        }
                        try {
                            Thread.sleep(100);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        int n = Math.min(left, Math.min(len, chunk.length));
                        java.util.Arrays.fill(b, off, off + n, (byte) 0);
                        left -= n;
                        return n;
                    }
                },
                new java.io.ByteArrayInputStream(tail))));
        HttpRequest.BodyPublisher slow = HttpRequest.BodyPublishers.ofInputStream(() -> body);
        CompletableFuture<HttpResponse<String>> up = admin.http.sendAsync(admin.req("/api/v1/assets")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary).POST(slow).build(), HttpResponse.BodyHandlers.ofString());
        Thread.sleep(500);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        HttpResponse<String> r = up.get(30, TimeUnit.SECONDS);
        assertEquals(201, r.statusCode(), r.body());
        assertTrue(r.body().contains("\"size\":" + (chunk.length * chunks)));
        closing.get(30, TimeUnit.SECONDS);
        // restart: same certificate, the data is there, no new one-time password
        try (ReferenceServer again = ReferenceServer.start(cfg)) {
            assertEquals(s.certificate(), again.certificate());
            assertFalse(again.initialAdminPassword().isPresent());
            TestClient c = new TestClient(again);
            assertEquals(200, c.login("admin", TestServers.ADMIN_PASSWORD).status());
            assertEquals(1, c.get("/api/v1/assets").json().get("items").size());
        }
        assertTrue(Files.exists(cfg.dataDir().resolve("tls/server.p12")));
    }
}
