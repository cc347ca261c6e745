package io.mediastore.tokens.spi;

import io.mediastore.tokens.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RevocationPurgeTest {
    static final Instant T = Instant.parse("2026-12-04T12:00:00Z");

    @Test
    void jdbcPurgeForgetsOnlyWhatCanNoLongerMatter() throws Exception {
        JdbcRevocationList l = new JdbcRevocationList(H2Jdbc.fresh());
        l.revokeToken("expired", T.minus(JdbcReplayGuard.PURGE_MARGIN).minusSeconds(1));
        l.revokeToken("just-expired", T.minusSeconds(1)); // a node whose clock runs behind still accepts it
        l.revokeToken("live", T.plusSeconds(60));
        l.revokeSubject("old", T.minus(Duration.ofHours(30)));
        l.revokeSubject("recent", T.minus(Duration.ofHours(1)));
        assertEquals(2, l.purgeExpired(T, Duration.ofHours(24)));
        assertFalse(l.isRevoked("expired", "x", T));
        assertTrue(l.isRevoked("just-expired", "x", T));
        assertTrue(l.isRevoked("live", "x", T));
        assertFalse(l.isRevoked("t", "old", T.minus(Duration.ofHours(31))));
        assertTrue(l.isRevoked("t", "recent", T.minus(Duration.ofHours(2))));
    }

    @Test
    void inMemorySubjectCutOffsAreBounded() {
        MutableClock clock = new MutableClock(T);
        InMemoryRevocationList l = new InMemoryRevocationList(clock, Duration.ofHours(24));
        for (int i = 0; i <= 10_001; i++) {
            l.revokeSubject("user-" + i, T);
        }
        clock.advance(Duration.ofHours(25));
        l.revokeSubject("latest", clock.instant());
        // the old cut-offs are gone (every token they could revoke has expired); the new one holds
        assertFalse(l.isRevoked("t", "user-1", T.minusSeconds(10)));
        assertTrue(l.isRevoked("t", "latest", clock.instant()));
    }
}
