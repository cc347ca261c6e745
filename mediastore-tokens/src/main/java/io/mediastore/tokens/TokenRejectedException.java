package io.mediastore.tokens;

import java.util.Objects;

/**
 * A token was refused. {@link #reason()} is the machine-readable cause; the message never contains
 * the token, a key or any other secret, so it is safe to log.
 */
public final class TokenRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why a token was refused. */
    public enum Reason {
        /** Not a token of a supported format, over the size limit, or its content does not decode. */
        MALFORMED,
        /** The signature or MAC does not match, or the key that matches the key id is of another kind. */
        BAD_SIGNATURE,
        /** No key with the token's key id is in the key ring. */
        UNKNOWN_KEY,
        /** The expiry (plus leeway) has passed. */
        EXPIRED,
        /** The not-before time (minus leeway) has not come yet. */
        NOT_YET_VALID,
        /** The token does not cover the requested resource. */
        WRONG_RESOURCE,
        /** The token does not allow the requested action. */
        WRONG_ACTION,
        /** A client binding (network, session, audience) does not match the request. */
        BINDING_MISMATCH,
        /** A limited-use token has been used up. */
        ALREADY_USED,
        /** The token, or every token of its subject issued up to a point in time, was revoked. */
        REVOKED
    }

    private final Reason reason;

    public TokenRejectedException(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
