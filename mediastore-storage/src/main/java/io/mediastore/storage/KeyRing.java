package io.mediastore.storage;

import io.mediastore.storage.spi.KeyProvider;
import io.mediastore.storage.spi.WrappedKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The default {@link KeyProvider}: AES-256 master keys held in this process, one of them primary. Data keys are
 * wrapped with AES-256-GCM under the primary key (random 96-bit nonce; the key id and the blob key are
 * authenticated). Rotate by building a ring with a new primary key that still holds the old keys, re-wrapping
 * with {@link EncryptingBlobStore#rewrapAll(String)}, then dropping the old keys once a pass reports no blob failed
 * and no copy unconfirmed.
 *
 * <p>{@link #load(Path)} reads a key file with one {@code <id> <base64 of 32 bytes>} line per key and a
 * {@code primary <id>} line; the file must not be readable by group or others.
 */
public final class KeyRing implements KeyProvider {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] LABEL = "mediastore-keyring-v1".getBytes(StandardCharsets.US_ASCII);

    private final Map<String, SecretKeySpec> keys;
    private final String primary;

    private KeyRing(Map<String, SecretKeySpec> keys, String primary) {
        this.keys = keys;
        this.primary = primary;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Loads a key file (see the class comment).
     *
     * @throws IllegalArgumentException if the file is malformed or readable by group or others
     * @throws java.io.UncheckedIOException if it cannot be read
     */
    public static KeyRing load(Path file) {
        try {
            if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                for (PosixFilePermission p : perms) {
                    if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
                        throw new IllegalArgumentException("the key file must be accessible by its owner only");
                    }
                }
            }
            Builder b = builder();
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            for (String line : lines) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] parts = t.split("\\s+");
                if (parts.length != 2) {
                    throw new IllegalArgumentException("key file lines are '<id> <base64 key>' or 'primary <id>'");
                }
                if (parts[0].equals("primary")) {
                    b.primary(parts[1]);
                } else {
                    byte[] key;
                    try {
                        key = Base64.getDecoder().decode(parts[1]);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("a key in the key file is not base64");
                    }
                    try {
                        b.add(parts[0], key);
                    } finally {
                        Arrays.fill(key, (byte) 0);
                    }
                }
            }
            return b.build();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the key file", e);
        }
    }

    @Override
    public String name() {
        return "keyring";
    }

    @Override
    public String currentKeyId() {
        return primary;
    }

    /** The ids of all keys in the ring. */
    public Set<String> keyIds() {
        return keys.keySet();
    }

    @Override
    public WrappedKey wrap(byte[] dataKey, byte[] context) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, keys.get(primary), new GCMParameterSpec(128, nonce));
            c.updateAAD(aad(primary, context));
            byte[] ct = c.doFinal(dataKey);
            return new WrappedKey(primary, ByteBuffer.allocate(12 + ct.length).put(nonce).put(ct).array());
        } catch (GeneralSecurityException e) {
            throw new BlobStoreException(BlobStoreException.Reason.KEY_UNAVAILABLE, "wrapping a data key failed", e);
        }
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped, byte[] context) {
        SecretKeySpec key = keys.get(wrapped.keyId());
        if (key == null) {
            throw new BlobStoreException(BlobStoreException.Reason.KEY_UNAVAILABLE, "master key " + wrapped.keyId() + " is not in the key ring");
        }
        byte[] bytes = wrapped.bytes();
        if (bytes.length < 12 + 16) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "wrapped data key is malformed");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, bytes, 0, 12));
            c.updateAAD(aad(wrapped.keyId(), context));
            return c.doFinal(bytes, 12, bytes.length - 12);
        } catch (AEADBadTagException e) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, "wrapped data key failed authentication");
        } catch (GeneralSecurityException e) {
            throw new BlobStoreException(BlobStoreException.Reason.KEY_UNAVAILABLE, "unwrapping a data key failed", e);
        }
    }

    private static byte[] aad(String keyId, byte[] context) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(LABEL.length + 1 + id.length + context.length)
                .put(LABEL).put((byte) id.length).put(id).put(context).array();
    }

    @Override
    public String toString() {
        return "KeyRing[primary=" + primary + ", keys=" + keys.keySet() + "]";
    }

    /** Builds a {@link KeyRing}; key bytes are copied, so the caller can wipe its arrays. */
    public static final class Builder {
        private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();
        private String primary;

        private Builder() {
        }

        /** Adds a 32-byte AES-256 master key. */
        public Builder add(String keyId, byte[] key) {
            WrappedKey.checkKeyId(keyId);
            if (key == null || key.length != 32) {
                throw new IllegalArgumentException("master keys are 32 bytes (AES-256)");
            }
            if (keys.containsKey(keyId)) {
                throw new IllegalArgumentException("duplicate key id " + keyId);
            }
            keys.put(keyId, new SecretKeySpec(key, "AES"));
            return this;
        }

        /** Adds a fresh random master key. */
        public Builder generate(String keyId) {
            byte[] key = new byte[32];
            RANDOM.nextBytes(key);
            try {
                return add(keyId, key);
            } finally {
                Arrays.fill(key, (byte) 0);
            }
        }

        /** The key new data keys are wrapped under. */
        public Builder primary(String keyId) {
            this.primary = WrappedKey.checkKeyId(keyId);
            return this;
        }

        /** Copies another ring's keys (and its primary, unless one is set here). */
        public Builder addAll(KeyRing other) {
            other.keys.forEach((id, k) -> {
                if (!keys.containsKey(id)) {
                    keys.put(id, k);
                }
            });
            if (primary == null) {
                primary = other.primary;
            }
            return this;
        }

        /** @throws IllegalArgumentException without keys, or when the primary key is not in the ring */
        public KeyRing build() {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("a key ring needs at least one key");
            }
            String p = primary != null ? primary : keys.keySet().iterator().next();
            if (!keys.containsKey(p)) {
                throw new IllegalArgumentException("the primary key is not in the ring");
            }
            return new KeyRing(Map.copyOf(keys), p);
        }
    }
}
