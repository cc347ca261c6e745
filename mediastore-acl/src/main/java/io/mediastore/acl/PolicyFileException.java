package io.mediastore.acl;

/**
 * A policy file was refused. {@link #line()} is the 1-based line that caused it; the message starts
 * with {@code "line N: "}.
 */
public final class PolicyFileException extends AclException {
    private static final long serialVersionUID = 1L;

    private final int line;

    public PolicyFileException(int line, String message) {
        super(Reason.MALFORMED_POLICY_FILE, "line " + line + ": " + message);
        this.line = line;
    }

    /** The 1-based line number of the offending statement. */
    public int line() {
        return line;
    }
}
