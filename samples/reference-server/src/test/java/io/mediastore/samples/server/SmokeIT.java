package io.mediastore.samples.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SmokeIT {
    @TempDir
    Path dir;

    @Test
    void startsAndServes() throws Exception {
        try (ReferenceServer s = ReferenceServer.start(TestServers.config(dir).build())) {
            TestClient c = new TestClient(s);
            TestClient.Res r = c.get("/health/live");
            assertEquals(200, r.status(), r.text());
            TestClient admin = TestServers.admin(s);
            assertEquals(200, admin.get("/api/v1/me").status());
        }
    }
}
