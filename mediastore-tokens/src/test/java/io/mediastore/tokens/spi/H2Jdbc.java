package io.mediastore.tokens.spi;

import org.h2.jdbcx.JdbcDataSource;

import javax.sql.DataSource;
import java.util.concurrent.atomic.AtomicInteger;

/** Fresh in-memory H2 databases with the shipped schema. */
final class H2Jdbc {
    private static final AtomicInteger N = new AtomicInteger();

    private H2Jdbc() {
    }

    static DataSource fresh() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tokens" + N.incrementAndGet() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        JdbcSchema.create(ds);
        JdbcSchema.create(ds); // idempotent
        return ds;
    }
}
