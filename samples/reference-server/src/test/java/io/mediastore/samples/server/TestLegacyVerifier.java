package io.mediastore.samples.server;

import io.mediastore.passwords.spi.LegacyVerifier;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A legacy digest {@code $test-sha256$<hex>} (an unsalted SHA-256, as an old system might have stored), found by
 * ServiceLoader from this test classpath alone: shows the server picks up LegacyVerifier plugins.
 */
public final class TestLegacyVerifier implements LegacyVerifier {
    static final String PREFIX = "$test-sha256$";

    @Override
    public String algorithm() {
        return "test-sha256";
    }

    @Override
    public boolean recognizes(String stored) {
        return stored.startsWith(PREFIX);
    }

    @Override
    public boolean verify(char[] password, String stored) {
        return MessageDigest.isEqual(digest(new String(password)).getBytes(StandardCharsets.US_ASCII),
                stored.getBytes(StandardCharsets.US_ASCII));
    }

    static String digest(String password) {
        try {
            return PREFIX + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
