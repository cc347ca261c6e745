package io.mediastore.hls;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that wraps content keys at rest (AES-GCM). Has no {@code equals}; {@code toString}
 * hides the bytes. Keep it outside the key store (a KMS, a secret mount, an environment secret).
 */
public final class MasterKey {
  private final byte[] key;

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

  SecretKeySpec secretKeySpec() {
    return new SecretKeySpec(key, "AES");
  }

  /** Overwrites the secret in memory. */
  public void destroy() {
    Arrays.fill(key, (byte) 0);
  }

  @Override
  public String toString() {
    return "MasterKey[hidden]";
  }
}
