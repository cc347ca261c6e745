package io.mediastore.samples.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two server instances sharing one PostgreSQL (embedded, real) and one S3 bucket (S3Proxy, real S3 protocol, with
 * client-side encryption on top): tokens, single use, revocation, ACL changes and key rotation cross instances.
 */
class ScaleOutIT {
    static final String ACCESS = "scaleAccessKey";
    static final String SECRET = "scaleSecretKey1234567890";

    @TempDir
    Path dir;

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within 15 s: " + what);
    }

    @Test
    void twoInstancesShareEverything() throws Exception {
        Path s3dir = Files.createDirectories(dir.resolve("s3"));
        S3Proxy proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(s3dir.toString()))
                .endpoint(URI.create("http://127.0.0.1:0")).awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .ignoreUnknownHeaders(true).build();
        proxy.start();
        while (!"STARTED".equals(proxy.getState())) {
            Thread.sleep(10);
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
             S3Client raw = S3Client.builder().endpointOverride(endpoint).region(Region.US_EAST_1).forcePathStyle(true)
                     .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build()) {
            raw.createBucket(b -> b.bucket("media"));
            String s3 = "s3://media/?endpoint=" + endpoint + "&pathStyle=true&region=us-east-1";
            URI blobUri = URI.create("encrypted:?keys=keyring&store=" + URLEncoder.encode(s3, StandardCharsets.UTF_8));
            Path secrets = dir.resolve("shared-secrets.properties");
            ServerConfig.Builder common = TestServers.config(dir.resolve("a"))
                    .database(pg.getJdbcUrl("postgres", "postgres"), "postgres", "")
                    .blobUri(blobUri).s3Credentials(ACCESS, SECRET).secretsFile(secrets).hlsWorkers(0);
            try (ReferenceServer a = ReferenceServer.start(common.build());
                 ReferenceServer b = ReferenceServer.start(common.dataDir(dir.resolve("b")).build())) {
                assertTrue(b.initialAdminPassword().isEmpty(), "the first admin exists once, in the shared database");
                TestClient adminA = TestServers.admin(a);
                TestClient adminB = new TestClient(b);
                assertEquals(200, adminB.login("admin", TestServers.ADMIN_PASSWORD).status(), "accounts are shared");
                TestClient aliceA = TestServers.user(a, adminA, "alice", "editor");
                TestClient bobA = TestServers.user(a, adminA, "bob", "viewer");
                TestClient bobB = new TestClient(b);
                assertEquals(200, bobB.login("bob", "bob-password-123").status());

                byte[] content = "shared bytes through S3, encrypted client-side".getBytes(StandardCharsets.UTF_8);
                TestClient.Res up = aliceA.upload("shared", null, null, "s.txt", "text/plain", content);
                assertEquals(201, up.status(), up.text());
                String id = up.json().get("id").asText();
                assertTrue(raw.listObjectsV2(r -> r.bucket("media")).contents().stream().noneMatch(o ->
                        new String(raw.getObjectAsBytes(g -> g.bucket("media").key(o.key())).asByteArray(), StandardCharsets.ISO_8859_1)
                                .contains("shared bytes")), "the bucket holds only ciphertext");

                // a token issued by A is accepted by B
                TestClient anonB = new TestClient(b.trustStore(), b.apiUri(), null);
                TestClient anonA = new TestClient(a.trustStore(), a.apiUri(), null);
                String linkA = aliceA.post("/api/v1/assets/" + id + "/download-links", Map.of()).json().get("url").asText();
                String onB = b.apiUri() + linkA.substring(linkA.indexOf("/api/v1/"));
                TestClient.Res got = anonB.get(onB);
                assertEquals(200, got.status(), got.text());
                assertArrayEquals(content, got.body());

                // a single-use token is accepted once across both
                String single = aliceA.post("/api/v1/assets/" + id + "/download-links", Map.of("singleUse", true)).json().get("url").asText();
                String path = single.substring(single.indexOf("/api/v1/"));
                assertEquals(200, anonB.get(b.apiUri() + path).status());
                TestClient.Res second = anonA.get(a.apiUri() + path);
                assertEquals(403, second.status());
                assertEquals("ALREADY_USED", second.json().get("error").get("reason").asText());

                // an ACL change on one is seen by the other
                assertEquals(404, bobB.get("/api/v1/assets/" + id).status());
                TestClient.Res share = aliceA.post("/api/v1/assets/" + id + "/shares",
                        Map.of("principalType", "user", "principal", "bob", "role", "viewer"));
                assertEquals(201, share.status(), share.text());
                eventually("B sees the share made on A", () -> bobB.get("/api/v1/assets/" + id).status() == 200);
                JsonNode list = bobB.get("/api/v1/assets").json().get("items");
                assertEquals(1, list.size());
                String shareId = share.json().get("id").asText();
                TestClient aliceB = new TestClient(b);
                assertEquals(200, aliceB.login("alice", "alice-password-123").status());
                assertEquals(204, aliceB.json("DELETE", "/api/v1/assets/" + id + "/shares/" + shareId, Map.of()).status());
                eventually("A sees the unshare made on B", () -> bobA.get("/api/v1/assets/" + id).status() == 404);

                // a revocation on one is seen by the other: disabling alice on B revokes her links, checked on A
                String multi = aliceA.post("/api/v1/assets/" + id + "/download-links", Map.of()).json().get("url").asText();
                assertEquals(200, anonA.get(multi).status());
                TestClient.Res users = adminB.get("/api/v1/users");
                String aliceId = null;
                for (JsonNode u : users.json().get("items")) {
                    if (u.get("username").asText().equals("alice")) {
                        aliceId = u.get("id").asText();
                    }
                }
                assertEquals(200, adminB.json("PATCH", "/api/v1/users/" + aliceId, Map.of("disabled", true)).status());
                TestClient.Res revoked = anonA.get(multi);
                assertEquals(403, revoked.status());
                assertEquals("REVOKED", revoked.json().get("error").get("reason").asText());
                assertEquals(401, aliceA.get("/api/v1/me").status(), "her sessions end on every node");

                // token key rotation on A: B verifies A's new tokens within its refresh interval
                String beforeRotation = adminA.post("/api/v1/assets/" + id + "/download-links", Map.of()).json().get("url").asText();
                a.rotateTokenKey();
                String afterRotation = adminA.post("/api/v1/assets/" + id + "/download-links", Map.of()).json().get("url").asText();
                String rotatedOnB = b.apiUri() + afterRotation.substring(afterRotation.indexOf("/api/v1/"));
                eventually("B knows A's new token key", () -> anonB.get(rotatedOnB).status() == 200);
                assertEquals(200, anonB.get(b.apiUri() + beforeRotation.substring(beforeRotation.indexOf("/api/v1/"))).status(),
                        "tokens signed with the previous key stay valid");
            }
        } finally {
            proxy.stop();
        }
    }
}
