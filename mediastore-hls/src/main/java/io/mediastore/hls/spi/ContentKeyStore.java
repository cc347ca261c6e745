package io.mediastore.hls.spi;

import io.mediastore.hls.ContentKey;
import java.util.Optional;

/**
 * Where content keys live, apart from the segments they protect. Implementations must be thread-safe,
 * must never write a key in clear, and report failures as
 * {@link io.mediastore.hls.HlsException} with reason {@code KEY_STORE_FAILURE}.
 * {@code ContentKeyStoreContract} in the test jar is the compatibility kit.
 */
public interface ContentKeyStore {
  /** Stores {@code key}; storing a second key under an existing id is refused with {@link IllegalStateException}. */
  void put(ContentKey key);

  /** The key with this id, or empty when there is none. */
  Optional<ContentKey> get(String keyId);

  /** Deletes the key; returns whether it existed. */
  boolean delete(String keyId);
}
