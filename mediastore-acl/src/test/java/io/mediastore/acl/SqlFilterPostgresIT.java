package io.mediastore.acl;

import javax.sql.DataSource;

/** The SQL filter scenario on a real PostgreSQL server. */
class SqlFilterPostgresIT extends SqlFilterScenario {
    private final DataSource ds = EmbeddedPostgresServer.freshDatabase();

    @Override
    protected DataSource dataSource() {
        return ds;
    }
}
