package io.mediastore.storage;

import java.time.Instant;
import java.util.Objects;

/** One entry of a listing: key, size and last modification. */
public record BlobSummary(BlobKey key, long size, Instant lastModified) {
    public BlobSummary {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(lastModified, "lastModified");
    }
}
