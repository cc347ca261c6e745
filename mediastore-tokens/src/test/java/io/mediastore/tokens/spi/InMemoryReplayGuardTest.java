package io.mediastore.tokens.spi;

import io.mediastore.tokens.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryReplayGuardTest extends ReplayGuardContract {
    @Override
    protected ReplayGuard newGuard() {
        return new InMemoryReplayGuard();
    }

    @Test
    void boundedAndEntriesExpireWithTheirToken() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
        InMemoryReplayGuard g = new InMemoryReplayGuard(3, clock);
        Instant exp = clock.instant().plus(Duration.ofMinutes(1));
        assertTrue(g.tryUse("a", 1, exp));
        assertTrue(g.tryUse("b", 1, exp));
        assertTrue(g.tryUse("c", 1, exp));
        // full and nothing expired: fail closed, and the used ones stay used
        assertFalse(g.tryUse("d", 1, exp));
        assertFalse(g.tryUse("a", 1, exp));
        clock.advance(Duration.ofMinutes(2));
        assertTrue(g.tryUse("d", 1, clock.instant().plus(Duration.ofMinutes(1))));
        assertEquals(1, g.size());
    }

    @Test
    void aTokenPastItsWindowGetsNoFreshCountAfterAPurge() {
        // a request checked just inside the window may reach the guard just after it, when a purge has already
        // forgotten the token's uses: it must not start counting again
        MutableClock clock = new MutableClock(Instant.parse("2026-12-04T12:00:00Z"));
        InMemoryReplayGuard g = new InMemoryReplayGuard(10, clock);
        Instant exp = clock.instant().plus(Duration.ofMinutes(1));
        assertTrue(g.tryUse("once", 1, exp));
        clock.advance(Duration.ofMinutes(1).plusMillis(1));
        g.purgeExpired();
        assertEquals(0, g.size());
        assertFalse(g.tryUse("once", 1, exp));
        assertFalse(g.tryUse("never-used", 1, exp));
    }
}
