package io.mediastore.samples.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.mediastore.hls.MasterPlaylist;
import io.mediastore.hls.MediaPlaylist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Upload a tiny video, wait for transcoding and AES-128 HLS packaging, then play it with tokens like a player does. */
class VideoIT {
    @TempDir
    Path dir;

    static JsonNode waitReady(TestClient c, String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        double lastProgress = -1;
        while (System.nanoTime() < deadline) {
            JsonNode a = c.get("/api/v1/assets/" + id).json();
            JsonNode v = a.get("video");
            double p = v.get("progress").asDouble();
            assertTrue(p >= 0 && p <= 1, "progress in [0,1]");
            lastProgress = p;
            if (v.get("state").asText().equals("ready")) {
                assertEquals(1.0, p);
                return a;
            }
            if (v.get("state").asText().equals("failed")) {
                throw new AssertionError("video failed: " + a);
            }
            Thread.sleep(250);
        }
        throw new AssertionError("video not ready in time; progress " + lastProgress);
    }

    @Test
    void uploadTranscodePlayWithTokens() throws Exception {
        Path clip = Media.mp4(dir.resolve("clip.mp4"), 4, "320x240");
        TestServers.MovableClock clock = new TestServers.MovableClock();
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(dir.resolve("srv")).clock(clock)
                .tokenTtlForPlayback(Duration.ofMinutes(2)).build())) {
            TestClient admin = TestServers.admin(s);
            // declared as an unknown type: recognised as video by its first bytes
            TestClient.Res up = admin.upload("clip", null, null, "clip.bin", "application/octet-stream", Files.readAllBytes(clip));
            assertEquals(201, up.status(), up.text());
            String id = up.json().get("id").asText();
            assertEquals("video", up.json().get("kind").asText());
            assertEquals("video/mp4", up.json().get("contentType").asText());
            assertEquals("queued", up.json().get("video").get("state").asText());
            TestClient.Res early = admin.post("/api/v1/assets/" + id + "/playback", Map.of());
            assertTrue(early.status() == 409 || early.status() == 201);
            waitReady(admin, id);

            TestClient.Res pb = admin.post("/api/v1/assets/" + id + "/playback", Map.of());
            assertEquals(201, pb.status(), pb.text());
            String masterUrl = pb.json().get("masterPlaylistUrl").asText();
            String token = masterUrl.substring(masterUrl.indexOf("token=") + 6);
            TestClient player = new TestClient(s.trustStore(), s.apiUri(), s.webUri().toString());
            TestClient.Res m = player.get(masterUrl);
            assertEquals(200, m.status(), m.text());
            assertEquals("private, no-store", m.header("cache-control"));
            assertEquals(s.webUri().toString(), m.header("access-control-allow-origin"));
            MasterPlaylist master = MasterPlaylist.parse(m.text());
            assertEquals(1, master.variants().size(), "a 240-line source makes only the 240p rung: no upscaling");
            String variant = master.variants().get(0).uri();
            assertTrue(variant.startsWith("240p/index.m3u8?token="), variant);
            URI mediaUri = URI.create(masterUrl).resolve(variant);
            TestClient.Res mp = player.get(mediaUri.toString());
            assertEquals(200, mp.status(), mp.text());
            MediaPlaylist media = MediaPlaylist.parse(mp.text());
            assertTrue(media.segments().size() >= 2);
            MediaPlaylist.Segment seg0 = media.segments().get(0);
            String keyUrl = seg0.key().uri();
            assertTrue(keyUrl.startsWith(s.apiUri() + "/api/v1/hls/" + id + "/keys/"), keyUrl);
            TestClient.Res key = player.get(keyUrl);
            assertEquals(200, key.status());
            assertEquals(16, key.body().length);
            assertEquals("no-store", key.header("cache-control"));
            assertEquals("application/octet-stream", key.header("content-type"));
            assertEquals(s.webUri().toString(), key.header("access-control-allow-origin"));
            TestClient.Res segment = player.get(mediaUri.resolve(seg0.uri()).toString());
            assertEquals(200, segment.status());
            Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key.body(), "AES"),
                    new IvParameterSpec(seg0.key().ivFor(media.mediaSequence())));
            byte[] clear = aes.doFinal(segment.body());
            assertEquals(0, clear.length % 188);
            for (int i = 0; i < clear.length; i += 188) {
                assertEquals(0x47, clear[i] & 0xff, "TS sync byte at " + i);
            }

            // the HLS master key rotates while running: content keys are re-wrapped, players get the same key bytes
            TestClient.Res rot = admin.post("/api/v1/admin/secrets/hls-master/rotate", Map.of());
            assertEquals(200, rot.status(), rot.text());
            assertTrue(rot.json().get("rewrapped").asInt() >= 1);
            org.junit.jupiter.api.Assertions.assertArrayEquals(key.body(), player.get(keyUrl).body());

            // refused: no token, another asset's token, after expiry; refusals carry no body
            String keyPath = keyUrl.substring(0, keyUrl.indexOf('?'));
            TestClient.Res none = player.get(keyPath);
            assertEquals(401, none.status());
            assertEquals(0, none.body().length);
            TestClient.Res other = admin.upload("other", null, null, "o.txt", "text/plain", new byte[] {1, 2});
            String otherId = other.json().get("id").asText();
            String otherKey = keyPath.replace(id, otherId) + "?token=" + token;
            TestClient.Res cross = player.get(otherKey);
            assertEquals(403, cross.status());
            assertEquals(0, cross.body().length);
            TestClient viewer = TestServers.user(s, admin, "viewer1", "viewer");
            // a copied key or playlist URL does not work for another signed-in user (even one who may stream the asset)
            admin.post("/api/v1/assets/" + id + "/shares", Map.of("principalType", "user", "principal", "viewer1", "role", "viewer"));
            TestClient.Res copied = viewer.get(keyUrl);
            assertEquals(403, copied.status());
            assertEquals(0, copied.body().length);
            assertEquals("OTHER_USER", viewer.get(masterUrl).json().get("error").get("reason").asText());
            assertEquals(201, viewer.post("/api/v1/assets/" + id + "/playback", Map.of()).status(), "with their own view token it plays");
            admin.json("DELETE", "/api/v1/assets/" + id + "/shares/"
                    + admin.get("/api/v1/assets/" + id + "/shares").json().get("items").get(0).get("id").asText(), Map.of());
            assertEquals(404, viewer.post("/api/v1/assets/" + id + "/playback", Map.of()).status());
            clock.advance(Duration.ofMinutes(2).plusSeconds(31));
            TestClient.Res expired = player.get(keyUrl);
            assertEquals(401, expired.status());
            assertEquals(0, expired.body().length);
            assertEquals(401, player.get(masterUrl).status());
            assertEquals(401, player.get(mediaUri.resolve(seg0.uri()).toString()).status());
        }
    }

    @Test
    void aVideoDeletedWhileItIsTranscodedLeavesNoSegmentsOrKeys() throws Exception {
        Path clip = Media.mp4(dir.resolve("long.mp4"), 30, "640x480");
        Path next = Media.mp4(dir.resolve("next.mp4"), 2, "320x240");
        Path data = dir.resolve("deleting");
        String id;
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(data).build())) {
            TestClient admin = TestServers.admin(s);
            id = admin.upload("to delete", null, null, "long.mp4", "video/mp4", Files.readAllBytes(clip)).json().get("id").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String state;
            do {
                state = admin.get("/api/v1/assets/" + id).json().get("video").get("state").asText();
                Thread.sleep(20);
            } while (state.equals("queued") && System.nanoTime() < deadline);
            assertEquals("transcoding", state);
            assertEquals(204, admin.json("DELETE", "/api/v1/assets/" + id, Map.of()).status());
            // the one worker takes the next video only after it is done with the deleted one
            String nextId = admin.upload("next", null, null, "next.mp4", "video/mp4", Files.readAllBytes(next)).json().get("id").asText();
            waitReady(admin, nextId);
        }
        List<String> leftovers;
        try (var files = Files.walk(data.resolve("blobs"))) {
            leftovers = files.filter(Files::isRegularFile).map(p -> data.relativize(p).toString()).filter(p -> p.contains(id)).toList();
        }
        int keys;
        try (var c = java.sql.DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db").resolve("mediastore"), "sa", "");
             var ps = c.prepareStatement("SELECT COUNT(*) FROM ms_content_key WHERE asset_id = ?")) {
            ps.setString(1, id);
            try (var rs = ps.executeQuery()) {
                rs.next();
                keys = rs.getInt(1);
            }
        }
        assertEquals(0, leftovers.size(), "blobs of the deleted video, e.g. " + leftovers.stream().limit(3).toList());
        assertEquals(0, keys, "content keys of the deleted video");
    }

    @Test
    void aJobInterruptedByShutdownIsRedoneAfterRestart() throws Exception {
        Path clip = Media.mp4(dir.resolve("long.mp4"), 8, "320x240");
        ServerConfig cfg = TestServers.config(dir.resolve("restart")).build();
        String id;
        try (ReferenceServer s = ReferenceServer.start(cfg)) {
            TestClient admin = TestServers.admin(s);
            id = admin.upload("long", null, null, "long.mp4", "video/mp4", Files.readAllBytes(clip)).json().get("id").asText();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String state;
            do {
                state = admin.get("/api/v1/assets/" + id).json().get("video").get("state").asText();
                Thread.sleep(20);
            } while (state.equals("queued") && System.nanoTime() < deadline);
            org.junit.jupiter.api.Assumptions.assumeTrue(state.equals("transcoding"), "the job finished before we could stop it");
        }
        try (ReferenceServer s = ReferenceServer.start(cfg)) {
            TestClient c = new TestClient(s);
            assertEquals(200, c.login("admin", TestServers.ADMIN_PASSWORD).status());
            waitReady(c, id);
        }
    }
}
