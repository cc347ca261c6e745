package io.mediastore.storage;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A validated blob key: one to {@value #MAX_LENGTH_BYTES} UTF-8 bytes of {@code /}-separated segments.
 *
 * <p>Refused (with {@link InvalidBlobKeyException} and its reason): absolute keys, {@code .} and {@code ..}
 * segments, empty segments (so no leading, trailing or doubled {@code /}), control characters (C0, DEL, C1),
 * backslashes, unpaired surrogates, and segments over {@value #MAX_SEGMENT_BYTES} bytes (so every backend,
 * including a filesystem with 255-byte names, can hold every key). A key that passes can therefore never name
 * anything outside a store's root.
 *
 * <p>Keys order by their UTF-8 bytes, which is the order S3 lists in.
 */
public final class BlobKey implements Comparable<BlobKey> {
    /** The longest key, in UTF-8 bytes (the S3 limit). */
    public static final int MAX_LENGTH_BYTES = 1024;
    /** The longest segment, in UTF-8 bytes (a 255-byte file name minus room for a suffix). */
    public static final int MAX_SEGMENT_BYTES = 240;

    private final String value;
    private final byte[] utf8;

    private BlobKey(String value, byte[] utf8) {
        this.value = value;
        this.utf8 = utf8;
    }

    /**
     * Validates and wraps a key.
     *
     * @throws InvalidBlobKeyException if the key breaks any rule above
     */
    public static BlobKey of(String key) {
        check(key, false);
        return new BlobKey(key, key.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Validates a listing prefix: the empty string, or a key, or a key followed by {@code /}, or a key whose
     * last segment is incomplete. The same character rules as keys apply.
     *
     * @return the prefix unchanged
     * @throws InvalidBlobKeyException if the prefix could never be the start of a valid key
     */
    public static String checkPrefix(String prefix) {
        if (prefix == null) {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.EMPTY);
        }
        if (prefix.isEmpty()) {
            return prefix;
        }
        check(prefix, true);
        return prefix;
    }

    private static void check(String key, boolean prefix) {
        if (key == null || key.isEmpty()) {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.EMPTY);
        }
        // cheap bound before any per-char work: a UTF-16 unit is at least one UTF-8 byte
        if (key.length() > MAX_LENGTH_BYTES) {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.TOO_LONG);
        }
        if (key.charAt(0) == '/') {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.ABSOLUTE);
        }
        int totalBytes = 0;
        int segmentStart = 0;
        int segmentBytes = 0;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c == '/') {
                checkSegment(key, segmentStart, i, segmentBytes);
                segmentStart = i + 1;
                segmentBytes = 0;
                totalBytes++;
                continue;
            }
            int bytes;
            if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F)) {
                throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.CONTROL_CHARACTER);
            } else if (c == '\\') {
                throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.BACKSLASH);
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= key.length() || !Character.isLowSurrogate(key.charAt(i + 1))) {
                    throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.MALFORMED_UNICODE);
                }
                i++;
                bytes = 4;
            } else if (Character.isLowSurrogate(c)) {
                throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.MALFORMED_UNICODE);
            } else if (c < 0x80) {
                bytes = 1;
            } else if (c < 0x800) {
                bytes = 2;
            } else {
                bytes = 3;
            }
            segmentBytes += bytes;
            totalBytes += bytes;
            if (segmentBytes > MAX_SEGMENT_BYTES || totalBytes > MAX_LENGTH_BYTES) {
                throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.TOO_LONG);
            }
        }
        if (segmentStart == key.length()) {
            // trailing '/': fine for a prefix ("videos/"), an empty last segment for a key
            if (!prefix) {
                throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.EMPTY_SEGMENT);
            }
        } else if (!prefix) {
            checkSegment(key, segmentStart, key.length(), segmentBytes);
        }
        // a prefix's incomplete last segment may be "." or ".." ("..x" and ".hidden" are valid key segments)
    }

    private static void checkSegment(String key, int start, int end, int segmentBytes) {
        int len = end - start;
        if (len == 0) {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.EMPTY_SEGMENT);
        }
        if ((len == 1 && key.charAt(start) == '.') || (len == 2 && key.charAt(start) == '.' && key.charAt(start + 1) == '.')) {
            throw new InvalidBlobKeyException(InvalidBlobKeyException.Reason.DOT_SEGMENT);
        }
    }

    /** The key as given. */
    public String value() {
        return value;
    }

    /** The {@code /}-separated segments, in order. */
    public List<String> segments() {
        return List.of(value.split("/", -1));
    }

    /** The key's length in UTF-8 bytes. */
    public int utf8Length() {
        return utf8.length;
    }

    @Override
    public int compareTo(BlobKey other) {
        return Arrays.compareUnsigned(utf8, other.utf8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlobKey k && k.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
