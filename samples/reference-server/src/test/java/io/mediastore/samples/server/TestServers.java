package io.mediastore.samples.server;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;

/** Shared helpers: a test configuration on ephemeral ports, an adjustable clock, and a logged-in admin. */
public final class TestServers {
    private TestServers() {
    }

    static ServerConfig.Builder config(Path dir) {
        return ServerConfig.builder().dataDir(dir).bindAddress("127.0.0.1").apiPort(0).webPort(0)
                .shutdownGrace(Duration.ofSeconds(2)).hlsSegmentSeconds(1);
    }

    /** A clock tests can move forward (to expire tokens without waiting). */
    public static final class MovableClock extends Clock {
        private volatile Duration offset = Duration.ZERO;

        public void advance(Duration d) {
            offset = offset.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    static final String ADMIN_PASSWORD = "admin-password-for-tests-1";

    /** Logs in as the first admin with its one-time password and sets a real one; returns the client. */
    static TestClient admin(ReferenceServer server) {
        TestClient c = new TestClient(server);
        String otp = new String(server.initialAdminPassword().orElseThrow());
        TestClient.Res r = c.login("admin", otp);
        if (r.status() != 200) {
            throw new AssertionError("admin login failed: " + r.text());
        }
        TestClient.Res ch = c.post("/api/v1/auth/password", Map.of("currentPassword", otp, "newPassword", ADMIN_PASSWORD));
        if (ch.status() != 204) {
            throw new AssertionError("password change failed: " + ch.text());
        }
        return c;
    }

    static TestClient user(ReferenceServer server, TestClient admin, String name, String role) {
        TestClient.Res r = admin.post("/api/v1/users", Map.of("username", name, "displayName", name,
                "password", name + "-password-123", "roles", java.util.List.of(role)));
        if (r.status() != 201) {
            throw new AssertionError("create user failed: " + r.text());
        }
        TestClient c = new TestClient(server);
        if (c.login(name, name + "-password-123").status() != 200) {
            throw new AssertionError("login failed");
        }
        return c;
    }
}
