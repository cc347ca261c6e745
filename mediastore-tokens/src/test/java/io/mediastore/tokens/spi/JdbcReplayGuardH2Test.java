package io.mediastore.tokens.spi;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdbcReplayGuardH2Test extends ReplayGuardContract {
    @Override
    protected ReplayGuard newGuard() throws Exception {
        return new JdbcReplayGuard(H2Jdbc.fresh());
    }

    @Test
    void purgesExpiredCounts() throws Exception {
        DataSource ds = H2Jdbc.fresh();
        Instant now = Instant.parse("2026-12-04T12:00:00Z");
        JdbcReplayGuard g = new JdbcReplayGuard(ds, java.time.Clock.fixed(now.minusSeconds(3600), java.time.ZoneOffset.UTC));
        assertTrue(g.tryUse("old", 1, now.minus(JdbcReplayGuard.PURGE_MARGIN).minusSeconds(1)));
        assertTrue(g.tryUse("recent", 1, now.minusSeconds(1))); // kept for nodes whose clocks run behind
        assertTrue(g.tryUse("new", 1, now.plusSeconds(60)));
        assertEquals(1, g.purgeExpired(now));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token_id FROM ms_token_use")) {
            java.util.Set<String> left = new java.util.HashSet<>();
            while (rs.next()) {
                left.add(rs.getString(1));
            }
            assertEquals(java.util.Set.of("recent", "new"), left);
        }
    }

    @Test
    void aTokenPastItsWindowGetsNoFreshCountAfterAPurge() throws Exception {
        io.mediastore.tokens.MutableClock clock = new io.mediastore.tokens.MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
        JdbcReplayGuard g = new JdbcReplayGuard(H2Jdbc.fresh(), clock);
        Instant exp = clock.instant().plusSeconds(60);
        assertTrue(g.tryUse("once", 1, exp));
        clock.advance(java.time.Duration.ofSeconds(61).plus(JdbcReplayGuard.PURGE_MARGIN));
        assertEquals(1, g.purgeExpired(clock.instant()));
        assertFalse(g.tryUse("once", 1, exp), "its count was purged, not its use");
    }

    @Test
    void aNodeWhoseClockRunsAheadPurgesNoCountAnotherNodeStillNeeds() throws Exception {
        DataSource ds = H2Jdbc.fresh();
        Instant t0 = Instant.parse("2026-12-04T12:00:00Z");
        io.mediastore.tokens.MutableClock slow = new io.mediastore.tokens.MutableClock(t0);
        io.mediastore.tokens.MutableClock fast = new io.mediastore.tokens.MutableClock(t0.plusSeconds(20));
        io.mediastore.tokens.KeyRing ring = io.mediastore.tokens.KeyRing.of(
                io.mediastore.tokens.TokenKey.generate(io.mediastore.tokens.KeyType.HMAC_SHA256, "k"));
        io.mediastore.tokens.TokenService nodeA = io.mediastore.tokens.TokenService.builder(new InMemoryKeySource(ring))
                .clock(slow).replayGuard(new JdbcReplayGuard(ds, slow)).build();
        JdbcReplayGuard onNodeB = new JdbcReplayGuard(ds, fast);
        String once = nodeA.issue(io.mediastore.tokens.TokenSpec.builder().subject("u")
                .resource(io.mediastore.tokens.Resource.exact("asset/1")).actions("download")
                .lifetime(java.time.Duration.ofMinutes(1)).maxUses(1).build()).token();
        io.mediastore.tokens.AccessRequest req = io.mediastore.tokens.AccessRequest.of("asset/1", "download");
        nodeA.verify(once, req);
        // node A still accepts the token (expiry + 30 s leeway) while node B, 20 s ahead, runs its purge
        slow.set(t0.plusSeconds(75));
        fast.set(t0.plusSeconds(95));
        onNodeB.purgeExpired(fast.instant());
        io.mediastore.tokens.TokenRejectedException e = assertThrows(io.mediastore.tokens.TokenRejectedException.class,
                () -> nodeA.verify(once, req), "a single-use token verified a second time");
        assertEquals(io.mediastore.tokens.TokenRejectedException.Reason.ALREADY_USED, e.reason());
    }
}
