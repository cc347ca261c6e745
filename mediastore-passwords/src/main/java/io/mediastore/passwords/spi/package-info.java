/**
 * Extension points of the password module: {@link io.mediastore.passwords.spi.LegacyVerifier} for
 * migrating digests of other algorithms, with built-ins for bcrypt, PBKDF2-HMAC-SHA256 and scrypt.
 * Discovered through {@link java.util.ServiceLoader} or installed with
 * {@code PasswordHasher.Builder#legacyVerifiers}; implementations pass {@code LegacyVerifierContract}
 * from this module's test jar.
 */
package io.mediastore.passwords.spi;
