package io.mediastore.acl;

import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.util.UUID;

/** The SQL filter scenario on H2. */
class SqlFilterH2Test extends SqlFilterScenario {
    private final JdbcDataSource ds = new JdbcDataSource();

    SqlFilterH2Test() {
        ds.setURL("jdbc:h2:mem:filter-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
    }

    @Override
    protected DataSource dataSource() {
        return ds;
    }
}
