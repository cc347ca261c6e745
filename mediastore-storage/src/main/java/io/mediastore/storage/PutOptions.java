package io.mediastore.storage;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Content type and user metadata for a put. Metadata names are lower-case ASCII letters, digits and
 * {@code -}; values are printable ASCII; names and values together take at most {@value #MAX_METADATA_BYTES}
 * bytes (the S3 limit, so every backend can hold them). Names starting with {@code mediastore-} are reserved
 * for this library's own bookkeeping, which shares that limit: a layer that stores an entry of its own (the
 * {@link EncryptingBlobStore}'s key envelope, about 110 bytes with a {@link KeyRing}) refuses a write whose user
 * metadata leaves too little room for it with {@link BlobStoreException.Reason#UNSUPPORTED}, before reading any
 * content.
 */
public final class PutOptions {
    /** Upper bound of all metadata names and values, in bytes. */
    public static final int MAX_METADATA_BYTES = 2048;
    static final String RESERVED_PREFIX = "mediastore-";
    private static final String DEFAULT_TYPE = "application/octet-stream";
    private static final PutOptions DEFAULTS = new PutOptions(DEFAULT_TYPE, Map.of());

    private final String contentType;
    private final Map<String, String> metadata;

    private PutOptions(String contentType, Map<String, String> metadata) {
        this.contentType = contentType;
        this.metadata = metadata;
    }

    /** {@code application/octet-stream}, no metadata. */
    public static PutOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this object's values. */
    public Builder toBuilder() {
        Builder b = new Builder().contentType(contentType);
        b.metadata.putAll(metadata);
        return b;
    }

    public String contentType() {
        return contentType;
    }

    /** User metadata, sorted by name. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /**
     * Same options plus reserved bookkeeping entries: only for this library's own layers.
     *
     * @throws BlobStoreException UNSUPPORTED if the user metadata leaves too little room for them
     */
    PutOptions withReserved(Map<String, String> reserved) {
        Map<String, String> all = new TreeMap<>(metadata);
        reserved.forEach((k, v) -> {
            if (!k.startsWith(RESERVED_PREFIX)) {
                throw new IllegalArgumentException("not a reserved name");
            }
            all.put(k, v);
        });
        int total = bytes(all);
        if (total > MAX_METADATA_BYTES) {
            // the caller's options passed build(): a size error here is the library's bookkeeping, not bad input
            int bookkeeping = bytes(reserved);
            throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED, "user metadata of " + (total - bookkeeping)
                    + " bytes leaves no room for " + bookkeeping + " bytes of this store's own entries; here at most "
                    + (MAX_METADATA_BYTES - bookkeeping) + " bytes of user metadata fit");
        }
        return new PutOptions(contentType, java.util.Collections.unmodifiableMap(all));
    }

    static boolean isReserved(String name) {
        return name.startsWith(RESERVED_PREFIX);
    }

    static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() > 128) {
            throw new IllegalArgumentException("metadata name must have 1 to 128 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                throw new IllegalArgumentException("metadata names are lower-case a-z, 0-9 and '-'");
            }
        }
    }

    static void checkValue(String value) {
        Objects.requireNonNull(value, "metadata value");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7E) {
                throw new IllegalArgumentException("metadata values are printable ASCII");
            }
        }
    }

    static int bytes(Map<String, String> entries) {
        int bytes = 0;
        for (var e : entries.entrySet()) {
            bytes += e.getKey().length() + e.getValue().getBytes(StandardCharsets.US_ASCII).length;
        }
        return bytes;
    }

    static void checkSize(Map<String, String> all) {
        if (bytes(all) > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("metadata exceeds " + MAX_METADATA_BYTES + " bytes");
        }
    }

    /** Removes this library's reserved entries from a stored metadata map. */
    static Map<String, String> userOnly(Map<String, String> stored) {
        Map<String, String> out = new TreeMap<>();
        stored.forEach((k, v) -> {
            if (!isReserved(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return "PutOptions[contentType=" + contentType + ", metadata=" + metadata.keySet() + "]";
    }

    /** Builds {@link PutOptions}; {@link #build()} validates. */
    public static final class Builder {
        private String contentType = DEFAULT_TYPE;
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {
        }

        /** A media type such as {@code video/mp4}: printable ASCII, at most 255 characters. */
        public Builder contentType(String contentType) {
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /** Adds or replaces one user metadata entry. */
        public Builder metadata(String name, String value) {
            metadata.put(name, value);
            return this;
        }

        /** Adds all entries. */
        public Builder metadata(Map<String, String> entries) {
            metadata.putAll(entries);
            return this;
        }

        /**
         * @throws IllegalArgumentException on a bad content type, a bad or reserved metadata name, a non-ASCII
         *                                  value, or metadata over {@value #MAX_METADATA_BYTES} bytes
         */
        public PutOptions build() {
            if (contentType.isEmpty() || contentType.length() > 255) {
                throw new IllegalArgumentException("content type must have 1 to 255 characters");
            }
            checkValue(contentType);
            Map<String, String> sorted = new TreeMap<>();
            for (var e : metadata.entrySet()) {
                checkName(e.getKey());
                if (isReserved(e.getKey())) {
                    throw new IllegalArgumentException("metadata names starting with 'mediastore-' are reserved");
                }
                checkValue(e.getValue());
                sorted.put(e.getKey(), e.getValue());
            }
            checkSize(sorted);
            return new PutOptions(contentType, java.util.Collections.unmodifiableMap(sorted));
        }
    }
}
