package io.mediastore.passwords;

import java.util.Objects;

/**
 * The one unchecked exception of this module: a password or stored digest was refused, for the
 * machine-readable {@link #reason()}. Messages never contain the password, a pepper key or a tag.
 */
public class PasswordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the input was refused. */
    public enum Reason {
        /** The password was {@code null}. */
        NULL_PASSWORD,
        /** The password had no characters. */
        EMPTY_PASSWORD,
        /** The password is longer than the configured maximum (default 4096 chars). */
        PASSWORD_TOO_LONG,
        /** The password contains an unpaired UTF-16 surrogate, so it has no UTF-8 form. */
        MALFORMED_PASSWORD,
        /** The stored digest was {@code null}. */
        NULL_DIGEST,
        /** The stored digest is not a well-formed string of a format this hasher knows. */
        MALFORMED_DIGEST,
        /** The stored digest names an algorithm nothing here verifies. */
        UNSUPPORTED_ALGORITHM,
        /** Cost parameters beyond the configured ceiling or the memory budget; refused before any allocation. */
        PARAMETERS_OUT_OF_RANGE,
        /** The digest was peppered with a key id this hasher does not hold. */
        UNKNOWN_PEPPER_KEY,
        /** The memory budget stayed exhausted for the whole wait; see {@link HasherBusyException}. */
        BUSY
    }

    private final Reason reason;

    public PasswordException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public PasswordException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The machine-readable reason. */
    public Reason reason() {
        return reason;
    }
}
