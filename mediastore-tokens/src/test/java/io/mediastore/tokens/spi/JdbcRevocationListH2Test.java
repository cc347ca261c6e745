package io.mediastore.tokens.spi;

class JdbcRevocationListH2Test extends RevocationListContract {
    @Override
    protected RevocationList newList() throws Exception {
        return new JdbcRevocationList(H2Jdbc.fresh());
    }
}
