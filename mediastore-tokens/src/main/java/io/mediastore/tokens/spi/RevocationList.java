package io.mediastore.tokens.spi;

import java.time.Instant;

/**
 * Revoked tokens and signed-out subjects. Built-ins: {@link InMemoryRevocationList} and
 * {@link JdbcRevocationList}. {@link #isRevoked} runs on every verify, so it must be fast.
 */
public interface RevocationList {
    /** Revokes one token; the record may be forgotten after {@code expiresAt}. */
    void revokeToken(String tokenId, Instant expiresAt);

    /**
     * Revokes every token of {@code subject} issued at or before {@code issuedUpTo} ("sign this user out
     * everywhere"). Issue times have second precision, so a token issued in the same second is revoked too.
     * Calling again with a later instant moves the cut-off forward; an earlier instant never moves it back.
     */
    void revokeSubject(String subject, Instant issuedUpTo);

    /** Whether the token with this id, subject and issue time is revoked. */
    boolean isRevoked(String tokenId, String subject, Instant issuedAt);
}
