package io.mediastore.tokens.spi;

import io.mediastore.tokens.KeyRing;

/**
 * Where a {@link io.mediastore.tokens.TokenService} gets its keys. Called on every issue and verify,
 * so an implementation returns a cached ring and swaps it atomically on rotation; it must be fast
 * and thread-safe. Built-ins: {@link InMemoryKeySource} and {@link KeyFileKeySource}.
 */
@FunctionalInterface
public interface KeySource {
    /** The current key ring; never null. */
    KeyRing keyRing();
}
