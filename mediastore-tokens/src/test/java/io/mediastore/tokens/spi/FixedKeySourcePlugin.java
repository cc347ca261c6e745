package io.mediastore.tokens.spi;

import io.mediastore.tokens.KeyRing;
import io.mediastore.tokens.KeyType;
import io.mediastore.tokens.TokenKey;

/** A third-party-style KeySource plugin, registered in the test class path's META-INF/services. */
public final class FixedKeySourcePlugin implements KeySource {
    static final KeyRing RING = KeyRing.of(TokenKey.generate(KeyType.ED25519, "plugin-key"));

    @Override
    public KeyRing keyRing() {
        return RING;
    }
}
