package io.mediastore.acl.internal;

import io.mediastore.acl.Grant;

/**
 * One grant as the check sees it: the subject's principal id, action bitsets per model index
 * (already closed over implications and role inheritance), flags and the validity window in epoch
 * milliseconds.
 */
public final class Entry {
    public final int subject;
    public final boolean deny;
    /** Applies to descendants too (tree scope). */
    public final boolean tree;
    public final boolean windowed;
    public final long notBefore;
    public final long notAfter;
    /** Bitset of the actions covered, per model index; shared between grants with equal masks. */
    public final long[] masks;
    public final Grant grant;

    /** Marker results of {@link Evaluator}: the owner rule decided; a windowed entry needs the time. */
    public static final Entry OWNER = new Entry();
    static final Entry NEED_TIME = new Entry();

    private Entry() {
        this.subject = -1;
        this.deny = false;
        this.tree = false;
        this.windowed = false;
        this.notBefore = Long.MIN_VALUE;
        this.notAfter = Long.MAX_VALUE;
        this.masks = null;
        this.grant = null;
    }

    public Entry(int subject, long[] masks, Grant grant) {
        this.subject = subject;
        this.deny = grant.effect() == Grant.Effect.DENY;
        this.tree = grant.scope() == Grant.Scope.TREE;
        this.masks = masks;
        this.grant = grant;
        this.notBefore = grant.notBefore().map(i -> i.toEpochMilli()).orElse(Long.MIN_VALUE);
        this.notAfter = grant.notAfter().map(i -> i.toEpochMilli()).orElse(Long.MAX_VALUE);
        this.windowed = grant.notBefore().isPresent() || grant.notAfter().isPresent();
    }
}
