package io.mediastore.tokens.spi;

import io.mediastore.tokens.KeyRing;

import java.util.Objects;

/** A key source holding one ring in memory; {@link #rotate(KeyRing)} swaps it atomically. */
public final class InMemoryKeySource implements KeySource {
    private volatile KeyRing ring;

    public InMemoryKeySource(KeyRing ring) {
        this.ring = Objects.requireNonNull(ring, "ring");
    }

    @Override
    public KeyRing keyRing() {
        return ring;
    }

    /** Replaces the ring; verifies in flight finish with the ring they started with. */
    public void rotate(KeyRing next) {
        this.ring = Objects.requireNonNull(next, "next");
    }

    @Override
    public String toString() {
        return "InMemoryKeySource[" + ring + "]";
    }
}
