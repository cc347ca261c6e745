package io.mediastore.tokens;

import java.util.Objects;

/**
 * A freshly issued token and the grant it carries.
 *
 * @param token the token text: URL-safe, hand it to the client
 * @param grant what it allows (its {@code tokenId} is what {@link TokenService#revoke} needs)
 */
public record IssuedToken(String token, Grant grant) {
    public IssuedToken {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(grant, "grant");
    }

    @Override
    public String toString() {
        // the token is a bearer credential
        return "IssuedToken[" + grant + "]";
    }
}
