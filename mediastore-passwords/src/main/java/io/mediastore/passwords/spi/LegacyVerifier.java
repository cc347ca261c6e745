package io.mediastore.passwords.spi;

/**
 * Verifies digests of a legacy algorithm so users can log in once more and be migrated to
 * Argon2id: on a match {@link io.mediastore.passwords.PasswordHasher#verify} returns the Argon2id
 * digest to store instead. Implementations are found with {@link java.util.ServiceLoader} (list them
 * in {@code META-INF/services/io.mediastore.passwords.spi.LegacyVerifier}) or installed explicitly
 * with {@code PasswordHasher.Builder#legacyVerifiers}. They must be thread-safe and pass
 * {@code LegacyVerifierContract} from this module's test jar.
 *
 * <p>Errors: a digest this verifier {@link #recognizes} but cannot use is refused with
 * {@link io.mediastore.passwords.PasswordException} reason {@code MALFORMED_DIGEST}, or
 * {@code PARAMETERS_OUT_OF_RANGE} when its cost is beyond the verifier's ceiling; never another
 * exception.
 */
public interface LegacyVerifier {
    /** A short name for logs and errors, for example {@code bcrypt}. */
    String algorithm();

    /** True when {@code stored} is in this verifier's format; a cheap prefix check, never a hash. */
    boolean recognizes(String stored);

    /**
     * Memory this verification needs, in KiB, charged to the hasher's memory budget while it runs
     * (the hasher charges at least one Argon2 hash's memory, so CPU-only verifications are bounded
     * too). Called only for recognized digests, before {@link #verify}; cheap to compute.
     */
    default int memoryKiB(String stored) {
        return 0;
    }

    /**
     * Whether {@code password} produced {@code stored}, compared in constant time. Must not keep
     * or modify {@code password} (the hasher wipes it afterwards).
     */
    boolean verify(char[] password, String stored);
}
