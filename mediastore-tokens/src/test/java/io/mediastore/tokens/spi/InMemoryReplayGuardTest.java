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

    @Test
    void aPurgeBetweenTheWindowCheckAndTheFirstCountGrantsNoSecondUse() {
        Instant t0 = Instant.parse("2026-12-04T12:00:00Z");
        Instant expiresAt = t0.plusSeconds(60);
        java.util.concurrent.atomic.AtomicBoolean interleave = new java.util.concurrent.atomic.AtomicBoolean();
        boolean[] otherUse = new boolean[1];
        InMemoryReplayGuard[] guard = new InMemoryReplayGuard[1];
        java.time.Clock clock = new java.time.Clock() {
            volatile Instant now = t0.plusSeconds(59);

            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                Instant seen = now;
                if (interleave.compareAndSet(true, false)) {
                    // caller A has just seen the window open; before it counts, caller B uses the token, the
                    // window passes and a purge (a full table, or a scheduled one) forgets B's use
                    otherUse[0] = guard[0].tryUse("tok", 1, expiresAt);
                    now = t0.plusSeconds(61);
                    guard[0].purgeExpired();
                }
                return seen;
            }
        };
        guard[0] = new InMemoryReplayGuard(1000, clock);
        interleave.set(true);
        boolean callerA = guard[0].tryUse("tok", 1, expiresAt);
        assertTrue(otherUse[0], "caller B got the single use");
        assertFalse(callerA, "caller A got a second use of a single-use token");
    }
}
