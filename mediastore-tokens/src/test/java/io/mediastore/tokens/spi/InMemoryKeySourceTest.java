package io.mediastore.tokens.spi;

import io.mediastore.tokens.KeyRing;

class InMemoryKeySourceTest extends KeySourceContract {
    @Override
    protected KeySource newSource(KeyRing initial) {
        return new InMemoryKeySource(initial);
    }

    @Override
    protected void rotate(KeySource source, KeyRing next) {
        ((InMemoryKeySource) source).rotate(next);
    }
}
