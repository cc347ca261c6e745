package io.mediastore.tokens.spi;

import java.time.Instant;

/**
 * Counts the uses of limited-use tokens. Built-ins: {@link InMemoryReplayGuard} (one node, bounded)
 * and {@link JdbcReplayGuard} (several nodes sharing a database).
 */
public interface ReplayGuard {
    /**
     * Records one use of a token and says whether it was allowed. Atomic: with {@code maxUses = 1}
     * exactly one of any number of concurrent callers gets {@code true}.
     *
     * @param tokenId   the token's id
     * @param maxUses   the token's use limit, at least 1
     * @param expiresAt when the token expires (after which its record may be forgotten)
     * @return true if this use is within the limit
     */
    boolean tryUse(String tokenId, int maxUses, Instant expiresAt);
}
