package io.mediastore.passwords;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/** Shared helpers for tests. */
final class TestHashers {
    private TestHashers() {}

    /** A SecureRandom that yields the same bytes for the same seed, so two backends can get the same salt. */
    static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            // setSeed(long) ignores 0, which would make the generator self-seed
            r.setSeed(java.nio.ByteBuffer.allocate(8).putLong(seed).array());
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static Argon2Parameters small() {
        return Argon2Parameters.builder().memoryKiB(64).iterations(1).build();
    }

    static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s.replace(" ", ""));
    }
}
