package io.mediastore.acl.spi;

/**
 * What one {@link PolicyStore} mutation did to the store's version: the version it was applied to and
 * the version after it. {@code to == from + 1} if it changed anything, {@code to == from} if not.
 *
 * <p>A writer that holds a copy of the policy at version {@code v} may apply its own change to that
 * copy only when the step is exactly {@code v -> v + 1}: any other step means another writer changed
 * the store in between (or this change was a no-op on a newer state), and the copy must be reloaded.
 *
 * @param from the store's version when the mutation was applied (read atomically with it)
 * @param to   the store's version right after it
 */
public record VersionStep(long from, long to) {
    public VersionStep {
        if (to != from && to != from + 1) {
            throw new IllegalArgumentException("a mutation moves the version by 0 or 1, not " + from + " -> " + to);
        }
    }

    /** Whether the mutation changed anything. */
    public boolean changed() {
        return to != from;
    }
}
