package io.mediastore.passwords;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of {@link PasswordHasher#verify}: whether the password matched and, on a match,
 * whether the stored digest should be replaced, with the replacement digest ready to store.
 */
public final class Verification {
    private static final Verification MISMATCH = new Verification(false, EnumSet.noneOf(RehashReason.class), null);
    private static final Verification MATCH = new Verification(true, EnumSet.noneOf(RehashReason.class), null);

    private final boolean matched;
    private final Set<RehashReason> reasons;
    private final String replacement;

    private Verification(boolean matched, Set<RehashReason> reasons, String replacement) {
        this.matched = matched;
        this.reasons = Collections.unmodifiableSet(reasons);
        this.replacement = replacement;
    }

    static Verification mismatch() {
        return MISMATCH;
    }

    static Verification match() {
        return MATCH;
    }

    static Verification matchWithRehash(Set<RehashReason> reasons, String replacement) {
        return new Verification(true, EnumSet.copyOf(reasons), replacement);
    }

    /** True when the password produced the stored digest. */
    public boolean matched() {
        return matched;
    }

    /** True when the password matched and the stored digest should be replaced. */
    public boolean needsRehash() {
        return replacement != null;
    }

    /** The digest to store instead, present exactly when {@link #needsRehash()}. */
    public Optional<String> replacement() {
        return Optional.ofNullable(replacement);
    }

    /** Why a rehash is due; empty when none is. */
    public Set<RehashReason> rehashReasons() {
        return reasons;
    }

    @Override
    public String toString() {
        // the replacement digest is left out: digests belong in the database, not in logs
        return "Verification[matched=" + matched + ", rehash=" + reasons + "]";
    }
}
