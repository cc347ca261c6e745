package io.mediastore.storage.spi;

/**
 * Master keys for envelope encryption: wraps fresh data keys under the current master key and unwraps them
 * again. A provider backed by a KMS or HSM never lets the master key leave it; the in-process default is
 * {@link io.mediastore.storage.KeyRing}. Implementations are thread-safe; each must pass the
 * {@code KeyProviderContract} test from this module's test jar.
 *
 * <p>Discovered through {@link java.util.ServiceLoader} by {@link #name()} when
 * {@link io.mediastore.storage.BlobStores} composes an encrypted store from a URI, or passed explicitly to
 * {@link io.mediastore.storage.EncryptingBlobStore#wrap}.
 */
public interface KeyProvider {

    /** The name configuration refers to this provider by, such as {@code keyring}. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** The id of the master key new data keys are wrapped under. */
    String currentKeyId();

    /**
     * Encrypts a data key under the current master key, authenticating {@code context} with it (the blob key, so a
     * wrapped key cannot be moved to another blob).
     *
     * @throws io.mediastore.storage.BlobStoreException KEY_UNAVAILABLE if the master key cannot be used
     */
    WrappedKey wrap(byte[] dataKey, byte[] context);

    /**
     * Decrypts a data key; the caller wipes the returned array after use.
     *
     * @throws io.mediastore.storage.BlobStoreException KEY_UNAVAILABLE if the master key is unknown here, or
     *                                                  INTEGRITY if the wrapped key or context was altered (also
     *                                                  when a key under the right id holds other key material:
     *                                                  authenticated unwrapping cannot tell the two apart)
     */
    byte[] unwrap(WrappedKey wrapped, byte[] context);
}
