package io.mediastore.tokens.spi;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/** The default {@link RevocationList}: in memory on this node. Revoked token ids are forgotten once expired. */
@Singleton
public final class InMemoryRevocationList implements RevocationList {
    private final ConcurrentHashMap<String, Long> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> subjects = new ConcurrentHashMap<>();
    private final Clock clock;

    @Inject
    public InMemoryRevocationList() {
        this(Clock.systemUTC());
    }

    public InMemoryRevocationList(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void revokeToken(String tokenId, Instant expiresAt) {
        if (tokens.size() > 10_000) {
            long now = clock.millis();
            tokens.values().removeIf(exp -> exp < now);
        }
        tokens.put(tokenId, expiresAt.toEpochMilli());
    }

    @Override
    public void revokeSubject(String subject, Instant issuedUpTo) {
        subjects.merge(subject, issuedUpTo.getEpochSecond(), Math::max);
    }

    @Override
    public boolean isRevoked(String tokenId, String subject, Instant issuedAt) {
        if (!tokens.isEmpty() && tokens.containsKey(tokenId)) {
            return true;
        }
        if (subjects.isEmpty()) {
            return false;
        }
        Long cutoff = subjects.get(subject);
        return cutoff != null && issuedAt.getEpochSecond() <= cutoff;
    }
}
