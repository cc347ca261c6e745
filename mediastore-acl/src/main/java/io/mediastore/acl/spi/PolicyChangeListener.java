package io.mediastore.acl.spi;

/** Hears that a store's policy changed, so that caches (on this node or others) can be refreshed. */
@FunctionalInterface
public interface PolicyChangeListener {
    /**
     * The store reached {@code version}. Called on the thread that made or detected the change; must
     * return quickly and must not call back into the store.
     */
    void policyChanged(long version);
}
