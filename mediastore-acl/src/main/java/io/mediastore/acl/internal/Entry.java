package io.mediastore.acl.internal;

import io.mediastore.acl.Grant;

/**
 * One grant as the check sees it. The hot part is one packed {@code long} (kept in a per-object
 * {@code long[]}, so a check scans one array instead of chasing an object per grant): the subject's
 * principal id, the id of its action bitsets in the schema's mask table, and flags. The cold part
 * (this object) holds the grant itself and its validity window, read only when a windowed entry
 * matches or a decision is explained.
 */
public final class Entry {
    /** Bits 0-31: subject id; bits 32-55: mask id; then the flags. */
    public static final long DENY = 1L << 56;
    /** Applies to descendants too (tree scope). */
    public static final long TREE = 1L << 57;
    public static final long WINDOWED = 1L << 58;
    /** Mask ids fit in 24 bits. */
    public static final int MAX_MASK_ID = (1 << 24) - 1;

    public final long hot;
    /** Epoch milliseconds, inclusive. */
    public final long notBefore;
    /** Epoch milliseconds, exclusive. */
    public final long notAfter;
    public final Grant grant;

    public Entry(int subject, int maskId, Grant grant) {
        boolean windowed = grant.notBefore().isPresent() || grant.notAfter().isPresent();
        this.hot = (subject & 0xFFFFFFFFL) | ((long) maskId << 32)
                | (grant.effect() == Grant.Effect.DENY ? DENY : 0)
                | (grant.scope() == Grant.Scope.TREE ? TREE : 0)
                | (windowed ? WINDOWED : 0);
        this.grant = grant;
        this.notBefore = grant.notBefore().map(i -> i.toEpochMilli()).orElse(Long.MIN_VALUE);
        this.notAfter = grant.notAfter().map(i -> i.toEpochMilli()).orElse(Long.MAX_VALUE);
    }

    public int subject() {
        return (int) hot;
    }

    public boolean deny() {
        return (hot & DENY) != 0;
    }

    static int maskId(long hot) {
        return (int) (hot >>> 32) & MAX_MASK_ID;
    }
}
