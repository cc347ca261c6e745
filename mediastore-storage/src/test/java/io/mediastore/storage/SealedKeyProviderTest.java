package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.storage.spi.KeyProvider;
import io.mediastore.storage.spi.KeyProviderContract;
import io.mediastore.storage.spi.WrappedKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The test KMS stand-in is a valid provider, so the encrypted-store tests that use it test the store, not it. */
class SealedKeyProviderTest extends KeyProviderContract {

    @Override
    protected KeyProvider provider() {
        return new SealedKeyProvider("kms-1");
    }

    @Test
    void anotherInstanceWithTheSameKeyIdCannotUnwrap() {
        // each instance holds its own secret key: a matching id alone must not open the wrapped key
        byte[] ctx = "a".getBytes(StandardCharsets.UTF_8);
        WrappedKey w = new SealedKeyProvider("kms-1").wrap(new byte[32], ctx);
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> new SealedKeyProvider("kms-1").unwrap(w, ctx));
        assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason(), e.getMessage());
    }
}
