package io.mediastore.passwords.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.passwords.PasswordException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Pbkdf2Sha256VerifierTest extends LegacyVerifierContract {
    // made by Python's hashlib.pbkdf2_hmac, formatted as Django, passlib and Werkzeug store them
    private static final Map<String, String> KNOWN = Map.of(
            "pbkdf2_sha256$1000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=", "password",
            "$pbkdf2-sha256$1000$AAECAwQFBgcICQoLDA0ODw$JeuGrMduQwGPGLmo.Qwv7UYtHHmeg9SK49fGkEamC2c", "password",
            "pbkdf2:sha256:1000$seasalt$6085a4b7a3352455eb1e0e6cd2366305273b0b60b3e90bdc85227487c63e8bb7", "password",
            "pbkdf2_sha256$1500$Zk9s1kQ3mV$LSHYXWEkieyzQz6Yx8SuFTPVBK4xVCBwA4JnKvPQpN8=", "correct horse battery staple",
            "$pbkdf2-sha256$1500$AQIDBAUGBwgJCgsMDQ4PEA$TcQVGR7mraz7p4ASfbnkfkJanNyY2hThAof1/XgEkr0", "correct horse battery staple",
            "pbkdf2:sha256:2000$NaCl$e6ad3fc0218901e38c0de57d21b08c17905925dc3edf9401a0263adf7e548610", "p\u00e4ssw\u00f6rd-\u00f1",
            "pbkdf2_sha256$2000$NaCl$5q0/wCGJAeOMDeV9IbCMF5BZJdw+35QBoCY6335UhhA=", "p\u00e4ssw\u00f6rd-\u00f1",
            "$pbkdf2-sha256$2000$AgMEBQYHCAkKCwwNDg8QEQ$OyI50PotvPf23JiUb/O9H5zHVMYlqbEsYF9EOLM8BeA", "p\u00e4ssw\u00f6rd-\u00f1");

    @Override
    protected LegacyVerifier verifier() {
        return new Pbkdf2Sha256Verifier();
    }

    @Override
    protected Map<String, String> knownDigests() {
        return KNOWN;
    }

    @Override
    protected List<String> malformedDigests() {
        return List.of("pbkdf2_sha256$0$salt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c=",
                "pbkdf2_sha256$1000$salt$not*base64",
                "pbkdf2_sha256$1000$salt$YIWk=t6M", "$pbkdf2-sha256$1000$AAEC$",
                "pbkdf2:sha256:1000$salt$abc", "pbkdf2:sha256:01000$salt$6085a4b7");
    }

    @Test
    void iterationCountsAboveTheCeilingAreRefused() {
        PasswordException e = assertThrows(PasswordException.class, () -> new Pbkdf2Sha256Verifier().verify(
                "password".toCharArray(), "pbkdf2_sha256$2000000000$seasalt$YIWkt6M1JFXrHg5s0jZjBSc7C2Cz6QvchSJ0h8Y+i7c="));
        assertEquals(PasswordException.Reason.PARAMETERS_OUT_OF_RANGE, e.reason());
    }
}
