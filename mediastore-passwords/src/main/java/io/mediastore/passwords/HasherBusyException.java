package io.mediastore.passwords;

/**
 * Every byte of the hasher's memory budget stayed in use for the whole configured wait (or the
 * waiting thread was interrupted). The caller should answer "try again later" (HTTP 503), not
 * "wrong password".
 */
public final class HasherBusyException extends PasswordException {
    private static final long serialVersionUID = 1L;

    public HasherBusyException(String message) {
        super(Reason.BUSY, message);
    }

    public HasherBusyException(String message, Throwable cause) {
        super(Reason.BUSY, message, cause);
    }
}
