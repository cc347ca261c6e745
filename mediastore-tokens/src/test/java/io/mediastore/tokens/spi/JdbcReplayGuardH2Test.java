package io.mediastore.tokens.spi;

import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(g.tryUse("old", 1, now.minusSeconds(1)));
        assertTrue(g.tryUse("new", 1, now.plusSeconds(60)));
        assertEquals(1, g.purgeExpired(now));
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT token_id FROM ms_token_use")) {
            assertTrue(rs.next());
            assertEquals("new", rs.getString(1));
        }
    }

    @Test
    void aTokenPastItsWindowGetsNoFreshCountAfterAPurge() throws Exception {
        io.mediastore.tokens.MutableClock clock = new io.mediastore.tokens.MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
        JdbcReplayGuard g = new JdbcReplayGuard(H2Jdbc.fresh(), clock);
        Instant exp = clock.instant().plusSeconds(60);
        assertTrue(g.tryUse("once", 1, exp));
        clock.advance(java.time.Duration.ofSeconds(61));
        assertEquals(1, g.purgeExpired(clock.instant()));
        assertFalse(g.tryUse("once", 1, exp), "its count was purged, not its use");
    }
}
