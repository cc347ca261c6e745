package io.mediastore.storage.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.storage.BlobStoreException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** What every {@link KeyProvider} must do; extend it and return a provider from {@link #provider()}. */
public abstract class KeyProviderContract {

    /** A provider with at least one usable master key. */
    protected abstract KeyProvider provider() throws Exception;

    private static byte[] dataKey() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return k;
    }

    @Test
    void wrapsAndUnwraps() throws Exception {
        KeyProvider p = provider();
        byte[] dek = dataKey();
        byte[] ctx = "videos/a.mp4".getBytes(StandardCharsets.UTF_8);
        WrappedKey w = p.wrap(dek, ctx);
        assertEquals(p.currentKeyId(), w.keyId());
        assertFalse(java.util.Arrays.equals(dek, w.bytes()), "the wrapped form is not the key");
        assertArrayEquals(dek, p.unwrap(w, ctx));
    }

    @Test
    void wrappingIsRandomized() throws Exception {
        KeyProvider p = provider();
        byte[] dek = dataKey();
        assertFalse(java.util.Arrays.equals(p.wrap(dek, new byte[0]).bytes(), p.wrap(dek, new byte[0]).bytes()));
    }

    @Test
    void otherContextIsRefused() throws Exception {
        KeyProvider p = provider();
        WrappedKey w = p.wrap(dataKey(), "a".getBytes(StandardCharsets.UTF_8));
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> p.unwrap(w, "b".getBytes(StandardCharsets.UTF_8)));
        assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason());
    }

    @Test
    void everyFlippedBitIsRefused() throws Exception {
        KeyProvider p = provider();
        WrappedKey w = p.wrap(dataKey(), new byte[0]);
        byte[] bytes = w.bytes();
        for (int i = 0; i < bytes.length * 8; i += 7) {
            byte[] m = bytes.clone();
            m[i / 8] ^= (byte) (1 << (i % 8));
            WrappedKey bad = new WrappedKey(w.keyId(), m);
            assertEquals(BlobStoreException.Reason.INTEGRITY,
                    assertThrows(BlobStoreException.class, () -> p.unwrap(bad, new byte[0])).reason());
        }
    }

    @Test
    void unknownKeyIdIsKeyUnavailable() throws Exception {
        KeyProvider p = provider();
        WrappedKey w = p.wrap(dataKey(), new byte[0]);
        WrappedKey other = new WrappedKey("no-such-key-id-" + System.nanoTime(), w.bytes());
        assertEquals(BlobStoreException.Reason.KEY_UNAVAILABLE,
                assertThrows(BlobStoreException.class, () -> p.unwrap(other, new byte[0])).reason());
    }
}
