package io.mediastore.storage;

import io.mediastore.storage.spi.KeyProvider;
import io.mediastore.storage.spi.WrappedKey;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A test-only {@link KeyProvider} that is not a {@link KeyRing}: it plays a KMS that holds one AES-256 master key
 * it never hands out and wraps data keys with AES-GCM ({@code nonce(12) || ciphertext || tag(16)}, the context as
 * AAD). Its own format, so tests show {@link EncryptingBlobStore} relies on the SPI alone.
 */
final class SealedKeyProvider implements KeyProvider {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;
    private static final int TAG = 16;

    private final String keyId;
    private final SecretKeySpec master;

    /** A provider with a fresh random master key under {@code keyId}. */
    SealedKeyProvider(String keyId) {
        this.keyId = WrappedKey.checkKeyId(keyId);
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        this.master = new SecretKeySpec(key, "AES");
        java.util.Arrays.fill(key, (byte) 0);
    }

    @Override
    public String name() {
        return "sealed-test-kms";
    }

    @Override
    public String currentKeyId() {
        return keyId;
    }

    @Override
    public WrappedKey wrap(byte[] dataKey, byte[] context) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, master, new GCMParameterSpec(TAG * 8, nonce));
            c.updateAAD(context);
            byte[] ct = c.doFinal(dataKey);
            return new WrappedKey(keyId, ByteBuffer.allocate(NONCE + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new BlobStoreException(BlobStoreException.Reason.KEY_UNAVAILABLE, "the test KMS could not wrap", e);
        }
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped, byte[] context) {
        // a KMS only knows its own key: anything else is unavailable here, not corrupt
        if (!wrapped.keyId().equals(keyId)) {
            throw new BlobStoreException(BlobStoreException.Reason.KEY_UNAVAILABLE, "master key " + wrapped.keyId() + " is not in the test KMS");
        }
        byte[] bytes = wrapped.bytes();
        if (bytes.length < NONCE + TAG) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "wrapped data key is malformed");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, master, new GCMParameterSpec(TAG * 8, bytes, 0, NONCE));
            c.updateAAD(context);
            return c.doFinal(bytes, NONCE, bytes.length - NONCE);
        } catch (AEADBadTagException e) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "wrapped data key failed authentication");
        } catch (GeneralSecurityException e) {
            throw new BlobStoreException(BlobStoreException.Reason.KEY_UNAVAILABLE, "the test KMS could not unwrap", e);
        }
    }

    @Override
    public String toString() {
        return "SealedKeyProvider[" + keyId + "]";
    }
}
