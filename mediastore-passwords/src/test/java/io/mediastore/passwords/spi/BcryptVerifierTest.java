package io.mediastore.passwords.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.passwords.PasswordException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BcryptVerifierTest extends LegacyVerifierContract {
    // made by libxcrypt (glibc crypt(3) on Debian 12, through Python's crypt module)
    private static final Map<String, String> KNOWN = Map.of(
            "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm", "password",
            "$2a$04$ABCDEFGHIJKLMNOPQRSTUe49KO3WMnUrF2j9S3GYfL4YCSKq1vFqS", "correct horse battery staple",
            "$2y$04$0123456789./012345678uamYzgskDSH6oKLZXG7vfxB3y4toUCcO", "p\u00e4ssw\u00f6rd-\u00f1",
            // 80 chars: bcrypt uses the first 72 bytes
            "$2b$04$zyxwvutsrqponmlkjihgf.EMq3jIpEVwIgPUvnJrvtjS/0vwxSpjG", "x".repeat(80));

    @Override
    protected LegacyVerifier verifier() {
        return new BcryptVerifier();
    }

    @Override
    protected Map<String, String> knownDigests() {
        return KNOWN;
    }

    @Override
    protected List<String> malformedDigests() {
        return List.of("$2b$04$short", "$2b$4$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm",
                "$2b$03$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm",
                "$2b$04$abcdefghijklmnopqrstuvghE8Ev8uGFaUgY2cNEySvxngrb/Jzdm",
                "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzd!");
    }

    @Test
    void costsAboveTheCeilingAreRefusedBeforeHashing() {
        PasswordException e = assertThrows(PasswordException.class, () -> new BcryptVerifier().verify(
                "password".toCharArray(), "$2b$31$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm"));
        assertEquals(PasswordException.Reason.PARAMETERS_OUT_OF_RANGE, e.reason());
    }
}
