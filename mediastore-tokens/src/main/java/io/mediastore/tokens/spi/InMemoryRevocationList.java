package io.mediastore.tokens.spi;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link RevocationList}: in memory on this node. Revoked token ids are forgotten once their
 * tokens expire, and a subject's cut-off once every token it could revoke has expired (after
 * {@code retention}, by default the 24 h maximum token lifetime plus 5 minutes of leeway), so memory stays bounded.
 */
@Singleton
public final class InMemoryRevocationList implements RevocationList {
    private final ConcurrentHashMap<String, Long> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Long> subjects = new ConcurrentHashMap<>();
    private final Clock clock;
    private final long retentionSeconds;

    @Inject
    public InMemoryRevocationList() {
        this(Clock.systemUTC());
    }

    public InMemoryRevocationList(Clock clock) {
        this(clock, Duration.ofHours(24).plusMinutes(5));
    }

    /** @param retention how long a subject cut-off is kept: at least the service's maximum lifetime plus leeway */
    public InMemoryRevocationList(Clock clock, Duration retention) {
        this.clock = clock;
        this.retentionSeconds = retention.getSeconds();
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
        if (subjects.size() > 10_000) {
            long horizon = clock.instant().getEpochSecond() - retentionSeconds;
            subjects.values().removeIf(cutoff -> cutoff < horizon);
        }
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
