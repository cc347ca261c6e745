package io.mediastore.tokens;

import org.bouncycastle.math.ec.rfc8032.Ed25519;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * One token key: a key id, a {@link KeyType} and the key material. The type decides the algorithm;
 * a key of one type never verifies a token of another format.
 *
 * <p>Key material is copied in, never handed out, and never appears in {@link #toString()}. There is
 * deliberately no {@code equals}: keys are compared by nobody but the MAC and signature code.
 */
public final class TokenKey {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final KeyType type;
    /** HMAC or PASETO local key, or the Ed25519 seed; null for verify-only public keys. */
    private final byte[] secret;
    /** Ed25519 public key; null for symmetric keys. */
    private final byte[] publicKey;
    private final Ed25519.PublicPoint publicPoint;
    /** One initialised Mac per thread: Mac.init is not free and Mac is not thread-safe. */
    private final ThreadLocal<Mac> macs;

    private TokenKey(String keyId, KeyType type, byte[] secret, byte[] publicKey) {
        this.keyId = checkKeyId(keyId);
        this.type = Objects.requireNonNull(type, "type");
        this.secret = secret;
        this.publicKey = publicKey;
        if (publicKey != null) {
            this.publicPoint = Ed25519.validatePublicKeyPartialExport(publicKey, 0);
            if (publicPoint == null) {
                throw new IllegalArgumentException("not a valid Ed25519 public key");
            }
        } else {
            this.publicPoint = null;
        }
        if (type == KeyType.HMAC_SHA256) {
            SecretKeySpec spec = new SecretKeySpec(secret, "HmacSHA256");
            this.macs = ThreadLocal.withInitial(() -> {
                try {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(spec);
                    return mac;
                } catch (NoSuchAlgorithmException | InvalidKeyException e) {
                    throw new IllegalStateException("HmacSHA256 is unavailable", e);
                }
            });
        } else {
            this.macs = null;
        }
    }

    /** An HMAC-SHA-256 key for compact tokens; at least 32 bytes. */
    public static TokenKey hmacSha256(String keyId, byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length < 32) {
            throw new IllegalArgumentException("an HMAC-SHA-256 token key needs at least 32 bytes, got " + key.length);
        }
        return new TokenKey(keyId, KeyType.HMAC_SHA256, key.clone(), null);
    }

    /** A PASETO v4.local key: exactly 32 bytes. */
    public static TokenKey pasetoV4Local(String keyId, byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != 32) {
            throw new IllegalArgumentException("a PASETO v4.local key is 32 bytes, got " + key.length);
        }
        return new TokenKey(keyId, KeyType.PASETO_V4_LOCAL, key.clone(), null);
    }

    /** An Ed25519 signing key for compact tokens ({@code ED25519}) or PASETO v4.public, from its 32-byte seed. */
    public static TokenKey ed25519Private(String keyId, KeyType type, byte[] seed) {
        checkAsymmetric(type);
        Objects.requireNonNull(seed, "seed");
        if (seed.length != Ed25519.SECRET_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 private key seed is 32 bytes, got " + seed.length);
        }
        byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, pub, 0);
        return new TokenKey(keyId, type, seed.clone(), pub);
    }

    /** A verify-only Ed25519 key ({@code ED25519} or {@code PASETO_V4_PUBLIC}) from its 32-byte public key. */
    public static TokenKey ed25519Public(String keyId, KeyType type, byte[] publicKey) {
        checkAsymmetric(type);
        Objects.requireNonNull(publicKey, "publicKey");
        if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key is 32 bytes, got " + publicKey.length);
        }
        return new TokenKey(keyId, type, null, publicKey.clone());
    }

    /** A fresh random key of the given type, from {@link SecureRandom}. */
    public static TokenKey generate(KeyType type, String keyId) {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        try {
            switch (type) {
                case HMAC_SHA256:
                    return hmacSha256(keyId, material);
                case PASETO_V4_LOCAL:
                    return pasetoV4Local(keyId, material);
                default:
                    return ed25519Private(keyId, type, material);
            }
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    private static void checkAsymmetric(KeyType type) {
        if (!Objects.requireNonNull(type, "type").isAsymmetric()) {
            throw new IllegalArgumentException(type + " is not an Ed25519 key type");
        }
    }

    static String checkKeyId(String keyId) {
        Objects.requireNonNull(keyId, "keyId");
        if (keyId.isEmpty() || keyId.length() > 64) {
            throw new IllegalArgumentException("a key id has 1 to 64 characters");
        }
        for (int i = 0; i < keyId.length(); i++) {
            char c = keyId.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new IllegalArgumentException("a key id uses only A-Z a-z 0-9 - _ (it travels in URLs)");
            }
        }
        return keyId;
    }

    public String keyId() {
        return keyId;
    }

    public KeyType type() {
        return type;
    }

    /** Whether this key can issue tokens (false for verify-only Ed25519 public keys). */
    public boolean canSign() {
        return secret != null;
    }

    /** The verify-only half of an Ed25519 key, to hand to edge nodes; the key itself for symmetric keys is refused. */
    public TokenKey publicKey() {
        if (!type.isAsymmetric()) {
            throw new IllegalStateException("a " + type + " key has no public half: it must stay on the issuing backend");
        }
        return secret == null ? this : new TokenKey(keyId, type, null, publicKey);
    }

    /** The raw 32-byte Ed25519 public key (not secret). */
    public byte[] publicKeyBytes() {
        if (publicKey == null) {
            throw new IllegalStateException("a " + type + " key has no public half");
        }
        return publicKey.clone();
    }

    /**
     * A copy of the secret material (HMAC or v4.local key, or the Ed25519 seed), for writing a key file.
     * Deliberately long-named so every use is easy to find in review; wipe the copy after use.
     *
     * @throws IllegalStateException for a verify-only key
     */
    public byte[] insecureExportSecretMaterial() {
        if (secret == null) {
            throw new IllegalStateException("a verify-only key has no secret");
        }
        return secret.clone();
    }

    @Override
    public String toString() {
        return "TokenKey[" + keyId + ", " + type + (secret == null ? ", verify-only]" : ", private]");
    }

    // ---- package-private crypto, used by the codecs; the material never leaves this package ----

    Ed25519.PublicPoint publicPoint() {
        return publicPoint;
    }

    byte[] publicMaterial() {
        return publicKey;
    }

    byte[] secretMaterial() {
        return secret;
    }

    void hmac(byte[] data, int off, int len, byte[] out) {
        Mac mac = macs.get();
        mac.update(data, off, len);
        try {
            mac.doFinal(out, 0);
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    void sign(byte[] message, int off, int len, byte[] sig, int sigOff) {
        Ed25519.sign(secret, 0, publicKey, 0, message, off, len, sig, sigOff);
    }

    boolean verifySignature(byte[] sig, int sigOff, byte[] message, int off, int len) {
        return Ed25519.verify(sig, sigOff, publicPoint, message, off, len);
    }

}
