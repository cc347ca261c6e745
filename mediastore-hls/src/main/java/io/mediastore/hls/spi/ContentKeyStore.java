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

  /**
   * This store seen through one scope, an asset say: through a scoped store a key is found only under the scope
   * it was put through, so a key delivery scoped to one asset never yields another asset's key, whatever key id a
   * request names. Key ids in playlists stay as generated; underneath, each is stored under a 64-character id
   * derived from the scope and the key id with SHA-256. Anyone can compute that id, so serve keys only through
   * scoped stores: an unscoped delivery over the same store would answer it. Build one per asset for the
   * packager, and one per request for {@code KeyDelivery}, from the asset the request's URL names. Keys put
   * without a scope are not found through one.
   *
   * @param scope 1 to 256 characters of well-formed Unicode, without NUL
   */
  default ContentKeyStore scopedTo(String scope) {
    return new io.mediastore.hls.internal.ScopedContentKeyStore(this, scope);
  }
}
