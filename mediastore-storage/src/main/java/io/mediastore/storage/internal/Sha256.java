package io.mediastore.storage.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers. */
public final class Sha256 {
    private static final HexFormat HEX = HexFormat.of();

    private Sha256() {
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    /** Parses 64 hex digits, or returns null if {@code hex} is not one. */
    public static byte[] parseOrNull(String hex) {
        if (hex == null || hex.length() != 64) {
            return null;
        }
        try {
            return HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Constant-time comparison of an expected hex digest with a computed one. */
    public static boolean matches(String expectedHex, byte[] actual) {
        byte[] expected = parseOrNull(expectedHex);
        return expected != null && MessageDigest.isEqual(expected, actual);
    }
}
