package io.mediastore.acl;

import java.util.Objects;

/**
 * The one exception family of this module. {@link #reason()} is machine-readable; the message never
 * contains anything but names of models, actions, roles, principals and objects.
 *
 * <p>Misuse of an API call (a null argument, a malformed name) is an {@link IllegalArgumentException}
 * at the call instead.
 */
public class AclException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why an operation was refused. */
    public enum Reason {
        /** The check or grant names a model the policy does not define. */
        UNKNOWN_MODEL,
        /** The check or grant names an action its model does not declare. */
        UNKNOWN_ACTION,
        /** A grant or role names a role that is not defined. */
        UNKNOWN_ROLE,
        /** The policy is inconsistent: a cycle, a parent of the wrong model, a duplicate definition. */
        INVALID_POLICY,
        /** A policy file could not be parsed; see {@link PolicyFileException#line()}. */
        MALFORMED_POLICY_FILE,
        /** The policy store failed (for example a database error); the cause is attached. */
        STORE_FAILURE
    }

    private final Reason reason;

    public AclException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public AclException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** The machine-readable reason. */
    public Reason reason() {
        return reason;
    }
}
