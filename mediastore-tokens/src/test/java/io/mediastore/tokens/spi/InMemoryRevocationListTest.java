package io.mediastore.tokens.spi;

class InMemoryRevocationListTest extends RevocationListContract {
    @Override
    protected RevocationList newList() {
        return new InMemoryRevocationList();
    }
}
