package io.mediastore.storage;

import java.util.Locale;
import java.util.Objects;

/**
 * The one unchecked exception every {@link BlobStore} operation throws for a failure of the store (as opposed
 * to misuse, which is {@link IllegalArgumentException}, including {@link InvalidBlobKeyException}). Read
 * {@link #reason()} rather than the message. Messages name the key at most, never a credential, a data key or a
 * presigned URL.
 */
public class BlobStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, machine-readable. */
    public enum Reason {
        /** no blob under that key. */
        NOT_FOUND,
        /** the stored bytes do not match their checksum or authentication tag (corruption or tampering). */
        INTEGRITY,
        /** a byte range starts beyond the end of the blob. */
        RANGE_NOT_SATISFIABLE,
        /** the backend could not be reached or refused service (after retries). */
        UNAVAILABLE,
        /** the backend refused the credentials or the operation. */
        ACCESS_DENIED,
        /** fewer replicas than the write quorum took the write. */
        QUORUM_NOT_REACHED,
        /** the operation is not offered by this backend (for example a presigned URL on a filesystem). */
        UNSUPPORTED,
        /** a master key needed to unwrap a data key is not available. */
        KEY_UNAVAILABLE,
        /** reading the caller's input stream failed during a put; nothing was stored. */
        SOURCE_FAILED,
        /**
         * the blob is no longer the version a conditional operation named, or a put if absent found one there;
         * nothing was changed (on a replicated store, a conditional write that lost a race after its check may have
         * reached some replicas).
         */
        CHANGED,
        /** any other I/O failure of the backend. */
        IO
    }

    private final Reason reason;

    public BlobStoreException(Reason reason, String message) {
        this(reason, message, null);
    }

    public BlobStoreException(Reason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason).name().toLowerCase(Locale.ROOT) + ": " + message, cause);
        this.reason = reason;
    }

    /** The machine-readable reason. */
    public Reason reason() {
        return reason;
    }

    static BlobStoreException notFound(BlobKey key) {
        return new BlobStoreException(Reason.NOT_FOUND, "no blob " + key);
    }

    static BlobStoreException changed(BlobKey key) {
        return changed(key, null);
    }

    static BlobStoreException changed(BlobKey key, Throwable cause) {
        return new BlobStoreException(Reason.CHANGED, key + " was replaced since it was read", cause);
    }

    static BlobStoreException present(BlobKey key) {
        return present(key, null);
    }

    static BlobStoreException present(BlobKey key, Throwable cause) {
        return new BlobStoreException(Reason.CHANGED, "there is already a blob " + key, cause);
    }
}
