package io.mediastore.passwords;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * A pepper: a secret key, kept outside the database, under which the password is HMAC-SHA-256'd
 * before Argon2. Its {@link #id()} is recorded in the digest as the PHC {@code keyid} parameter, so
 * several keys can be accepted while the pepper rotates. Deliberately no {@code equals}; {@code
 * toString} shows the id only.
 *
 * <p>After {@link #destroy()} the key refuses every use with {@link IllegalStateException}, so a
 * hasher still holding it fails loudly instead of peppering with zeros. Thread-safe.
 */
public final class PepperKey implements Destroyable {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,8}");
    public static final int MIN_SECRET_LENGTH = 16;

    private final String id;
    private final byte[] secret; // guarded by this, like destroyed: never read while being wiped
    private boolean destroyed;

    private PepperKey(String id, byte[] secret) {
        this.id = id;
        this.secret = secret;
    }

    /**
     * @param id 1 to 8 characters of {@code [A-Za-z0-9_-]} (the PHC keyid holds at most 8 bytes)
     * @param secret at least 16 bytes (32 recommended); copied, so the caller may wipe its array
     * @throws IllegalArgumentException for a bad id or a short secret
     */
    public static PepperKey of(String id, byte[] secret) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("pepper key id must be 1 to 8 characters of [A-Za-z0-9_-]");
        }
        if (secret == null || secret.length < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("pepper secret must be at least " + MIN_SECRET_LENGTH + " bytes");
        }
        return new PepperKey(id, secret.clone());
    }

    /** The key id recorded in digests. */
    public String id() {
        return id;
    }

    byte[] idBytes() {
        return id.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * HMAC-SHA-256(secret, password): the bytes that go into Argon2 instead of the password.
     *
     * @throws IllegalStateException when the key has been destroyed
     */
    byte[] apply(byte[] password) {
        Mac mac;
        try {
            mac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
        // init keys the Mac from the secret under the lock, so a concurrent destroy() is either
        // wholly before (refused) or wholly after (the Mac already holds its own key state)
        synchronized (this) {
            checkUsable();
            try {
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 refused a pepper key", e);
            }
        }
        return mac.doFinal(password);
    }

    /** @throws IllegalStateException when the key has been destroyed; the message names the id only */
    synchronized void checkUsable() {
        if (destroyed) {
            throw new IllegalStateException("pepper key " + id + " has been destroyed");
        }
    }

    /** Wipes the secret; every later use of the key throws {@link IllegalStateException}. Idempotent. */
    @Override
    public synchronized void destroy() {
        destroyed = true;
        Arrays.fill(secret, (byte) 0);
    }

    /** True once {@link #destroy()} has run. */
    @Override
    public synchronized boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "PepperKey[id=" + id + ", secret=<hidden>]";
    }
}
