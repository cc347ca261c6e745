package io.mediastore.tokens;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * A verified access grant: what a token allows, to whom, for how long. Returned by
 * {@link TokenService#verify} only after the signature, times, scope, bindings, use count and
 * revocation were all checked.
 *
 * @param tokenId   the token's random id (for revocation and single use)
 * @param keyId     the id of the key that issued it
 * @param subject   a user id or a share-link id
 * @param resource  what it covers
 * @param actions   the actions it allows
 * @param issuedAt  when it was issued (second precision)
 * @param notBefore when it becomes valid
 * @param expiresAt when it stops being valid
 * @param maxUses   how many times it may be used, 0 for no limit
 * @param bindings  its client bindings
 */
public record Grant(String tokenId, String keyId, String subject, Resource resource, Set<String> actions,
                    Instant issuedAt, Instant notBefore, Instant expiresAt, int maxUses, Bindings bindings) {
    public Grant {
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(resource, "resource");
        actions = Set.copyOf(actions);
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(bindings, "bindings");
    }

    /** Whether the token may be used once only. */
    public boolean singleUse() {
        return maxUses == 1;
    }
}
