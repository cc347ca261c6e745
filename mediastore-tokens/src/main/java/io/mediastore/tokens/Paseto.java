package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.internal.PasetoV4;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * PASETO v4 with arbitrary payloads, footers and implicit assertions, for interoperating with other
 * PASETO libraries. {@link TokenService} uses the same code for grants. The key's type decides
 * everything: a {@code v4.local} key only decrypts {@code v4.local} tokens, an Ed25519
 * {@code PASETO_V4_PUBLIC} key only verifies {@code v4.public} tokens; any other combination is refused.
 */
public final class Paseto {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Paseto() {
    }

    /**
     * A verified token's content.
     *
     * @param payload the decrypted or verified message bytes
     * @param footer  the (authenticated) footer bytes, empty if none
     */
    public record Message(byte[] payload, byte[] footer) {
    }

    /** Encrypts to a {@code v4.local} token with a fresh random nonce. */
    public static String encrypt(TokenKey key, byte[] payload, byte[] footer, byte[] implicitAssertion) {
        requireType(key, KeyType.PASETO_V4_LOCAL);
        byte[] nonce = new byte[32];
        RANDOM.nextBytes(nonce);
        return PasetoV4.encrypt(key.secretMaterial(), payload, footer, implicitAssertion, nonce);
    }

    /** Signs to a {@code v4.public} token with a {@code PASETO_V4_PUBLIC} private key. */
    public static String sign(TokenKey key, byte[] payload, byte[] footer, byte[] implicitAssertion) {
        requireType(key, KeyType.PASETO_V4_PUBLIC);
        if (!key.canSign()) {
            throw new IllegalArgumentException("a verify-only key cannot sign");
        }
        return PasetoV4.sign(key.secretMaterial(), key.publicMaterial(), payload, footer, implicitAssertion);
    }

    /**
     * Decrypts a {@code v4.local} token with a {@code PASETO_V4_LOCAL} key, or verifies a {@code v4.public}
     * token with a {@code PASETO_V4_PUBLIC} key, whichever the key is.
     *
     * @throws TokenRejectedException MALFORMED for a token that is not of the key's kind or does not decode,
     *                                BAD_SIGNATURE for a key of another type or a failed tag or signature
     */
    public static Message open(TokenKey key, String token, byte[] implicitAssertion) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(implicitAssertion, "implicitAssertion");
        if (token == null || token.length() > 1 << 20) {
            throw new TokenRejectedException(Reason.MALFORMED, "no token, or too long");
        }
        try {
            PasetoV4.Parts p;
            if (key.type() == KeyType.PASETO_V4_LOCAL) {
                p = PasetoV4.decrypt(key.secretMaterial(), token, implicitAssertion);
            } else if (key.type() == KeyType.PASETO_V4_PUBLIC) {
                p = PasetoV4.verify(key.publicPoint(), token, implicitAssertion);
            } else {
                throw new TokenRejectedException(Reason.BAD_SIGNATURE, "a " + key.type() + " key is not a PASETO key");
            }
            return new Message(p.body(), p.footer());
        } catch (PasetoV4.Invalid e) {
            throw new TokenRejectedException(
                    e.getMessage().contains("mismatch") ? Reason.BAD_SIGNATURE : Reason.MALFORMED, e.getMessage());
        }
    }

    private static void requireType(TokenKey key, KeyType type) {
        if (Objects.requireNonNull(key, "key").type() != type) {
            throw new IllegalArgumentException("needs a " + type + " key, got " + key.type());
        }
    }
}
