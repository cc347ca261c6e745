package io.mediastore.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a store knows about one blob.
 *
 * @param key          the key
 * @param size         the size in bytes
 * @param sha256       the SHA-256 of the content as 64 lower-case hex digits, when the store recorded it (always
 *                     after a put through this library; possibly absent for objects written by other tools)
 * @param contentType  the media type given at put, {@code application/octet-stream} by default
 * @param metadata     user metadata (lower-case names); each of this library's layers removes its own bookkeeping
 *                     entries ({@code mediastore-*}) before returning it
 * @param lastModified when the blob was last written
 */
public record BlobInfo(BlobKey key, long size, Optional<String> sha256, String contentType,
                       Map<String, String> metadata, Instant lastModified) {
    public BlobInfo {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(lastModified, "lastModified");
        metadata = Map.copyOf(metadata);
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
    }
}
