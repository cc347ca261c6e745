package io.mediastore.passwords.spi;

import io.mediastore.passwords.PasswordException;
import io.mediastore.passwords.PasswordException.Reason;
import io.mediastore.passwords.internal.Utf8;

/** Password bytes for the built-in legacy verifiers: UTF-8, as Django, passlib and Werkzeug use. */
final class LegacyEncoding {
    private LegacyEncoding() {}

    static byte[] utf8(char[] password) {
        byte[] b = Utf8.encode(password);
        if (b == null) {
            throw new PasswordException(Reason.MALFORMED_PASSWORD, "password contains an unpaired surrogate");
        }
        return b;
    }
}
