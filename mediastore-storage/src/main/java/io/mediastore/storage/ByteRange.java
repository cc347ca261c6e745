package io.mediastore.storage;

/**
 * A byte range of a blob: {@code length} bytes from {@code offset}, or to the end when {@code length} is
 * {@link #TO_END}. A range that runs past the end is cut at the end; one that starts past the end is refused
 * with {@link BlobStoreException.Reason#RANGE_NOT_SATISFIABLE}; one that starts exactly at the end is empty.
 */
public record ByteRange(long offset, long length) {
    /** {@code length} meaning "to the end of the blob". */
    public static final long TO_END = -1;

    public ByteRange {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0");
        }
        if (length < 0 && length != TO_END) {
            throw new IllegalArgumentException("length must be >= 0 or TO_END");
        }
    }

    /** {@code length} bytes from {@code offset}. */
    public static ByteRange of(long offset, long length) {
        return new ByteRange(offset, length);
    }

    /** From {@code offset} to the end. */
    public static ByteRange from(long offset) {
        return new ByteRange(offset, TO_END);
    }

    /** Whether the range runs to the end of the blob. */
    public boolean toEnd() {
        return length == TO_END;
    }

    /**
     * The number of bytes this range selects from a blob of {@code size} bytes.
     *
     * @throws BlobStoreException RANGE_NOT_SATISFIABLE when the range starts past the end
     */
    public long lengthWithin(long size) {
        if (offset > size) {
            throw new BlobStoreException(BlobStoreException.Reason.RANGE_NOT_SATISFIABLE,
                    "range starts at " + offset + " but the blob has " + size + " bytes");
        }
        long rest = size - offset;
        return toEnd() ? rest : Math.min(rest, length);
    }
}
