package io.mediastore.samples.shacrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Random passwords and salts hashed by the {@code openssl passwd} CLI verify; a changed password does not. */
class OpensslInteropIT {
    private static final String SALT_CHARS = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @Test
    void digestsFromTheOpensslCliVerify() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        if (!Files.isExecutable(openssl)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("openssl is required under CI=true");
            }
            Assumptions.abort("openssl not installed");
        }
        SecureRandom random = new SecureRandom();
        ShaCryptVerifier verifier = new ShaCryptVerifier();
        for (int i = 0; i < 40; i++) {
            String variant = i % 2 == 0 ? "-5" : "-6";
            // at least one character: `openssl passwd -stdin` reads an empty line as "no password" and prints <NULL>
            String password = randomPassword(random, 1 + random.nextInt(89));
            StringBuilder salt = new StringBuilder();
            for (int j = 1 + random.nextInt(16); j > 0; j--) {
                salt.append(SALT_CHARS.charAt(random.nextInt(SALT_CHARS.length())));
            }
            String digest = opensslPasswd(openssl, variant, salt.toString(), password);
            assertTrue(verifier.verify(password.toCharArray(), digest), digest);
            assertFalse(verifier.verify((password + "x").toCharArray(), digest), digest);
        }
    }

    /** Printable ASCII and some non-ASCII letters, never a newline (openssl reads one line from stdin). */
    private static String randomPassword(SecureRandom random, int length) {
        String extra = "äöüßé€✓漢";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(random.nextInt(10) == 0 ? extra.charAt(random.nextInt(extra.length())) : (char) (0x20 + random.nextInt(95)));
        }
        return sb.toString();
    }

    private static String opensslPasswd(Path openssl, String variant, String salt, String password)
            throws IOException, InterruptedException {
        Process p = new ProcessBuilder(openssl.toString(), "passwd", variant, "-salt", salt, "-stdin").start();
        p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        return out;
    }
}
