package io.mediastore.hls;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.security.auth.Destroyable;

/**
 * One AES-128 content key and its public identifier. Has no {@code equals}; {@code toString} shows
 * the id only. The raw bytes are reachable only through {@link #copyKeyBytes()}, a greppable name.
 * After {@link #destroy()} every use throws {@link IllegalStateException}, so a destroyed key is never
 * taken for an all-zero one. Thread-safe.
 */
public final class ContentKey implements Destroyable {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private final String keyId;
  private final byte[] key; // guarded by this, like destroyed
  private boolean destroyed;

  private ContentKey(String keyId, byte[] key) {
    this.keyId = keyId;
    this.key = key;
  }

  /** A fresh key with a random 128-bit id, both from {@code random}. */
  public static ContentKey generate(SecureRandom random) {
    Objects.requireNonNull(random, "random");
    byte[] id = new byte[16];
    random.nextBytes(id);
    byte[] k = new byte[16];
    random.nextBytes(k);
    return new ContentKey(HexFormat.of().formatHex(id), k);
  }

  /** Wraps existing key bytes (copied). The id is 1-64 characters of [A-Za-z0-9_-], safe in a URI. */
  public static ContentKey of(String keyId, byte[] keyBytes) {
    checkId(keyId);
    Objects.requireNonNull(keyBytes, "keyBytes");
    if (keyBytes.length != 16) {
      throw new IllegalArgumentException("an AES-128 content key has 16 bytes, got " + keyBytes.length);
    }
    return new ContentKey(keyId, keyBytes.clone());
  }

  /** Throws {@link IllegalArgumentException} unless {@code keyId} is a valid key id. */
  public static String checkId(String keyId) {
    Objects.requireNonNull(keyId, "keyId");
    if (!ID.matcher(keyId).matches()) {
      throw new IllegalArgumentException("a key id is 1-64 characters of [A-Za-z0-9_-]");
    }
    return keyId;
  }

  public String keyId() {
    return keyId;
  }

  /**
   * A copy of the 16 secret bytes; the caller should wipe it after use.
   *
   * @throws IllegalStateException when the key has been destroyed
   */
  public synchronized byte[] copyKeyBytes() {
    if (destroyed) {
      throw new IllegalStateException("content key " + keyId + " has been destroyed");
    }
    return key.clone();
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
    return "ContentKey[" + keyId + "]";
  }
}
