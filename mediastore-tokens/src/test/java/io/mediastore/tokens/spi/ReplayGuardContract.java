package io.mediastore.tokens.spi;

import io.mediastore.tokens.AccessRequest;
import io.mediastore.tokens.Grant;
import io.mediastore.tokens.IssuedToken;
import io.mediastore.tokens.KeyRing;
import io.mediastore.tokens.KeyType;
import io.mediastore.tokens.Resource;
import io.mediastore.tokens.TokenKey;
import io.mediastore.tokens.TokenRejectedException;
import io.mediastore.tokens.TokenService;
import io.mediastore.tokens.TokenSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link ReplayGuard} must do. Implementations (ours and third-party plugins) extend this
 * class and provide a fresh, empty guard.
 */
public abstract class ReplayGuardContract {
    protected static final int THREADS = 8;

    /** A fresh guard with no recorded uses. */
    protected abstract ReplayGuard newGuard() throws Exception;

    /** Rounds of the 8-thread race (each a fresh token); plugins over slow stores may lower it. */
    protected int raceRounds() {
        return 40;
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }

    private static Instant later() {
        return Instant.now().plus(Duration.ofHours(1));
    }

    @Test
    void singleUseIsAllowedOnce() throws Exception {
        ReplayGuard g = newGuard();
        String id = id();
        assertTrue(g.tryUse(id, 1, later()));
        assertFalse(g.tryUse(id, 1, later()));
        assertFalse(g.tryUse(id, 1, later()));
    }

    @Test
    void maxUsesCountsEachUse() throws Exception {
        ReplayGuard g = newGuard();
        String id = id();
        for (int i = 0; i < 5; i++) {
            assertTrue(g.tryUse(id, 5, later()), "use " + (i + 1));
        }
        assertFalse(g.tryUse(id, 5, later()));
    }

    @Test
    void tokensAreIndependent() throws Exception {
        ReplayGuard g = newGuard();
        String a = id();
        String b = id();
        assertTrue(g.tryUse(a, 1, later()));
        assertTrue(g.tryUse(b, 1, later()));
        assertFalse(g.tryUse(a, 1, later()));
    }

    @Test
    void refusesANonPositiveLimit() throws Exception {
        ReplayGuard g = newGuard();
        assertThrows(IllegalArgumentException.class, () -> g.tryUse(id(), 0, later()));
    }

    @Test
    void eightThreadsAtTheSameMomentGetExactlyMaxUses() throws Exception {
        ReplayGuard g = newGuard();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < raceRounds(); round++) {
                int max = round % 3 + 1;
                String id = id();
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        return g.tryUse(id, max, later());
                    }));
                }
                int allowed = 0;
                for (Future<Boolean> f : results) {
                    allowed += f.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(max, allowed, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSingleUseTokenVerifiesExactlyOnceUnderEightConcurrentVerifies() throws Exception {
        ReplayGuard g = newGuard();
        TokenService s = TokenService.builder(new InMemoryKeySource(KeyRing.of(TokenKey.generate(KeyType.HMAC_SHA256, "k"))))
                .replayGuard(g).build();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (int round = 0; round < raceRounds() / 4 + 1; round++) {
                IssuedToken t = s.issue(TokenSpec.builder().subject("u").resource(Resource.exact("asset/1/original"))
                        .actions("download").lifetime(Duration.ofMinutes(5)).maxUses(1).build());
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<Future<TokenRejectedException.Reason>> results = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    results.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        try {
                            Grant gr = s.verify(t.token(), AccessRequest.of("asset/1/original", "download"));
                            assertEquals(t.grant().tokenId(), gr.tokenId());
                            return null;
                        } catch (TokenRejectedException e) {
                            return e.reason();
                        }
                    }));
                }
                int accepted = 0;
                for (Future<TokenRejectedException.Reason> f : results) {
                    TokenRejectedException.Reason r = f.get(30, TimeUnit.SECONDS);
                    if (r == null) {
                        accepted++;
                    } else {
                        assertEquals(TokenRejectedException.Reason.ALREADY_USED, r);
                    }
                }
                assertEquals(1, accepted, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
