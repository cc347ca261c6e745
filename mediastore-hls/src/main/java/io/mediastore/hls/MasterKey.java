package io.mediastore.hls;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;
import javax.security.auth.Destroyable;

/**
 * The AES-256 key that wraps content keys at rest (AES-GCM). Has no {@code equals}; {@code toString}
 * hides the bytes. Keep it outside the key store (a KMS, a secret mount, an environment secret).
 * After {@link #destroy()} every use throws {@link IllegalStateException}: a store still holding it
 * never wraps or unwraps under an all-zero key. Thread-safe.
 */
public final class MasterKey implements Destroyable {
  private final byte[] key; // guarded by this, like destroyed
  private boolean destroyed;

  private MasterKey(byte[] key) {
    this.key = key;
  }

  /** A 32-byte master key (copied). */
  public static MasterKey of(byte[] keyBytes) {
    Objects.requireNonNull(keyBytes, "keyBytes");
    if (keyBytes.length != 32) {
      throw new IllegalArgumentException("a master key has 32 bytes, got " + keyBytes.length);
    }
    return new MasterKey(keyBytes.clone());
  }

  /** A fresh random master key. */
  public static MasterKey generate(SecureRandom random) {
    byte[] k = new byte[32];
    random.nextBytes(k);
    return new MasterKey(k);
  }

  /** A key spec with its own copy of the bytes. */
  synchronized SecretKeySpec secretKeySpec() {
    if (destroyed) {
      throw new IllegalStateException("the master key has been destroyed");
    }
    return new SecretKeySpec(key, "AES");
  }

  /** Overwrites the secret in memory; every later use throws {@link IllegalStateException}. Idempotent. */
  @Override
  public synchronized void destroy() {
    destroyed = true;
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public synchronized boolean isDestroyed() {
    return destroyed;
  }

  @Override
  public String toString() {
    return "MasterKey[hidden]";
  }
}
