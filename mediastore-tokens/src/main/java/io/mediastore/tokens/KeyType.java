package io.mediastore.tokens;

/**
 * The kind of a {@link TokenKey}. The key's type alone decides how a token is checked: a token never
 * names its own algorithm, so a token cannot talk a verifier into using a key another way.
 */
public enum KeyType {
    /** Compact {@code ms1} tokens authenticated with HMAC-SHA-256 (the default, fastest; 32-byte key). */
    HMAC_SHA256,
    /** Compact {@code ms1} tokens signed with Ed25519; a node holding only the public key can verify. */
    ED25519,
    /** PASETO {@code v4.local} (XChaCha20 + BLAKE2b-MAC, encrypted claims; 32-byte key). */
    PASETO_V4_LOCAL,
    /** PASETO {@code v4.public} (Ed25519 signatures, claims readable by anyone). */
    PASETO_V4_PUBLIC;

    /** Whether keys of this type have a public half that verifies without the signing secret. */
    public boolean isAsymmetric() {
        return this == ED25519 || this == PASETO_V4_PUBLIC;
    }
}
