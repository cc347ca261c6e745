package io.mediastore.hls.internal;

import io.mediastore.hls.ContentKey;
import io.mediastore.hls.spi.ContentKeyStore;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/** A {@link ContentKeyStore} seen through one scope: see {@link ContentKeyStore#scopedTo(String)}. */
public final class ScopedContentKeyStore implements ContentKeyStore {
  private static final byte[] LABEL = "mediastore-hls key scope v1\0".getBytes(StandardCharsets.UTF_8);
  private final ContentKeyStore base;
  private final byte[] scope;

  public ScopedContentKeyStore(ContentKeyStore base, String scope) {
    this.base = Objects.requireNonNull(base, "base");
    Objects.requireNonNull(scope, "scope");
    if (scope.isEmpty() || scope.length() > 256 || scope.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a key scope is 1 to 256 characters, without NUL");
    }
    try {
      // strictly: a lone surrogate would otherwise become '?' and share another scope's keys
      ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(scope));
      this.scope = new byte[utf8.remaining()];
      utf8.get(this.scope);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("a key scope must be well-formed Unicode", e);
    }
  }

  /** The store underneath. */
  public ContentKeyStore base() {
    return base;
  }

  /** The id a key is stored under: SHA-256 of the label, the scope, NUL and the key id, in hex (64 characters). */
  private String storedId(String keyId) {
    ContentKey.checkId(keyId);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(LABEL);
      sha.update(scope);
      sha.update((byte) 0);
      sha.update(keyId.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  @Override
  public void put(ContentKey key) {
    byte[] raw = key.copyKeyBytes();
    ContentKey stored = null;
    try {
      stored = ContentKey.of(storedId(key.keyId()), raw);
      base.put(stored);
    } finally {
      Arrays.fill(raw, (byte) 0);
      if (stored != null) {
        stored.destroy(); // stores keep no caller's key object: the packager wipes its own after put as well
      }
    }
  }

  @Override
  public Optional<ContentKey> get(String keyId) {
    return base.get(storedId(keyId)).map(stored -> {
      byte[] raw = stored.copyKeyBytes();
      try {
        return ContentKey.of(keyId, raw);
      } finally {
        Arrays.fill(raw, (byte) 0);
        stored.destroy();
      }
    });
  }

  @Override
  public boolean delete(String keyId) {
    return base.delete(storedId(keyId));
  }

  @Override
  public String toString() {
    return "ScopedContentKeyStore[" + base + "]";
  }
}
