package io.mediastore.storage;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, in UTF-8 byte order of the keys.
 *
 * @param items         up to the requested page size of entries
 * @param nextPageToken present when more entries may follow: pass it to the next
 *                      {@link BlobStore#list(String, String, int)} call
 */
public record BlobPage(List<BlobSummary> items, Optional<String> nextPageToken) {
    public BlobPage {
        items = List.copyOf(items);
        java.util.Objects.requireNonNull(nextPageToken, "nextPageToken");
    }
}
