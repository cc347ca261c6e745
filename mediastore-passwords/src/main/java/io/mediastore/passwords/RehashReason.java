package io.mediastore.passwords;

/** Why a matching stored digest should be replaced by {@link Verification#replacement()}. */
public enum RehashReason {
    /** Memory, iterations, salt or tag length below the hasher's current parameters. */
    WEAKER_PARAMETERS,
    /** Argon2i, Argon2d or Argon2 version 1.0 instead of Argon2id version 1.3. */
    OUTDATED_ARGON2_VARIANT,
    /** A legacy algorithm (bcrypt, PBKDF2, scrypt or a plugin's) verified it. */
    LEGACY_ALGORITHM,
    /** Peppered under a key other than the current one, or peppered differently than configured now. */
    PEPPER_KEY_ROTATED
}
