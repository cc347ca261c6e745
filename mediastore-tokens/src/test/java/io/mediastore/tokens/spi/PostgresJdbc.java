package io.mediastore.tokens.spi;

import javax.sql.DataSource;

/** Fresh databases with the shipped schema on the embedded PostgreSQL server. */
final class PostgresJdbc {
    private PostgresJdbc() {
    }

    static DataSource fresh() throws Exception {
        DataSource ds = EmbeddedPostgresServer.freshDatabase();
        JdbcSchema.create(ds);
        JdbcSchema.create(ds); // idempotent
        return ds;
    }
}
