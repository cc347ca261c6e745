package io.mediastore.storage;

import java.util.Objects;

/**
 * A blob key or key prefix was refused: by {@link BlobKey#of(String)}, or ({@link Reason#RESERVED}) by a store that
 * keeps it for itself. The message never echoes the offending key (it may carry control characters or be huge);
 * {@link #reason()} says what was wrong.
 */
public final class InvalidBlobKeyException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Why a key was refused. */
    public enum Reason {
        /** null or the empty string. */
        EMPTY,
        /** more than {@link BlobKey#MAX_LENGTH_BYTES} UTF-8 bytes, or a segment over {@link BlobKey#MAX_SEGMENT_BYTES}. */
        TOO_LONG,
        /** starts with {@code /} (an absolute path). */
        ABSOLUTE,
        /** a {@code .} or {@code ..} segment. */
        DOT_SEGMENT,
        /** an empty segment: {@code //} or a trailing {@code /}. */
        EMPTY_SEGMENT,
        /** a C0/C1 control character, DEL or NUL. */
        CONTROL_CHARACTER,
        /** a backslash, which some filesystems and tools treat as a separator. */
        BACKSLASH,
        /** an unpaired UTF-16 surrogate: the key has no UTF-8 form. */
        MALFORMED_UNICODE,
        /** in a namespace a store keeps for itself ({@link ReplicatedBlobStore#RESERVED_PREFIX}). */
        RESERVED
    }

    private final Reason reason;

    InvalidBlobKeyException(Reason reason) {
        this(reason, "invalid blob key: " + Objects.requireNonNull(reason).name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
    }

    InvalidBlobKeyException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason);
    }

    /** The machine-readable reason. */
    public Reason reason() {
        return reason;
    }
}
