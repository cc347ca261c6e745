package io.mediastore.samples.server.internal;

import io.mediastore.storage.KeyRing;
import io.mediastore.storage.spi.KeyProvider;
import io.mediastore.storage.spi.WrappedKey;

/**
 * The storage master keys of the secrets file as the {@code keyring} key provider of {@code encrypted:} blob
 * URIs, swappable while running: after a rotation new blobs are wrapped under the new key at once, old blobs
 * still open under the old one until they are re-wrapped.
 */
public final class StorageKeys implements KeyProvider {
    private volatile KeyRing ring;

    public StorageKeys(Secrets secrets) {
        update(secrets);
    }

    public void update(Secrets secrets) {
        Secrets.Family f = secrets.family(Secrets.STORAGE);
        KeyRing.Builder kr = KeyRing.builder();
        f.keys().forEach((id, k) -> kr.add(id, k.clone()));
        this.ring = kr.primary(f.current()).build();
    }

    @Override
    public String name() {
        return "keyring";
    }

    @Override
    public String currentKeyId() {
        return ring.currentKeyId();
    }

    @Override
    public WrappedKey wrap(byte[] dataKey, byte[] context) {
        return ring.wrap(dataKey, context);
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped, byte[] context) {
        return ring.unwrap(wrapped, context);
    }

    @Override
    public String toString() {
        return "StorageKeys[hidden]";
    }
}
