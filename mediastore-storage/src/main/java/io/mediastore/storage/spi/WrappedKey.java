package io.mediastore.storage.spi;

import java.util.Arrays;
import java.util.Objects;

/**
 * A data key encrypted under a master key: the master key's id and the opaque wrapped bytes. Not secret in
 * itself (it is stored next to the data), but only its {@link KeyProvider} can turn it back into a key.
 */
public final class WrappedKey {
    private final String keyId;
    private final byte[] bytes;

    /**
     * @param keyId 1 to 64 characters of {@code A-Z a-z 0-9 _ -}
     * @param bytes the wrapped key, 1 to 512 bytes (copied)
     */
    public WrappedKey(String keyId, byte[] bytes) {
        checkKeyId(keyId);
        if (bytes == null || bytes.length == 0 || bytes.length > 512) {
            throw new IllegalArgumentException("wrapped key must have 1 to 512 bytes");
        }
        this.keyId = keyId;
        this.bytes = bytes.clone();
    }

    /** Checks a master key id: 1 to 64 characters of {@code A-Z a-z 0-9 _ -}. */
    public static String checkKeyId(String keyId) {
        if (keyId == null || !keyId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("key ids are 1 to 64 characters of A-Z a-z 0-9 _ -");
        }
        return keyId;
    }

    /** The id of the master key that wrapped this data key. */
    public String keyId() {
        return keyId;
    }

    /** A copy of the wrapped bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey w && w.keyId.equals(keyId) && Arrays.equals(w.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keyId, Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "WrappedKey[keyId=" + keyId + ", " + bytes.length + " bytes]";
    }
}
