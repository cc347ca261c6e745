package io.mediastore.acl.spi;

import io.mediastore.acl.AclException;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The JDBC store on an in-process H2 database (a real SQL engine, no server needed). */
class JdbcPolicyStoreH2Test extends PolicyStoreContract {
    private JdbcDataSource lastDataSource;

    static JdbcDataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:acl-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000");
        ds.setUser("sa");
        return ds;
    }

    @Override
    protected PolicyStore newStore() {
        lastDataSource = h2();
        return new JdbcPolicyStore(lastDataSource);
    }

    @Override
    protected PolicyStore secondView(PolicyStore store) {
        // a second node: its own store instance over the same database (migrations already applied)
        return new JdbcPolicyStore(lastDataSource);
    }

    @Override
    protected void notifyRemote(PolicyStore store) {
        ((JdbcPolicyStore) store).pollForChanges();
    }

    @Test
    void migrationsRunOnce() throws Exception {
        JdbcDataSource ds = h2();
        new JdbcPolicyStore(ds).putGrant(grant("g", "a", "1"));
        JdbcPolicyStore again = new JdbcPolicyStore(ds);
        assertEquals(1, again.load().grants().size());
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*) FROM acl_schema_version WHERE version > 0")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
        }
    }

    @Test
    void databaseFailuresAreStoreFailures() throws Exception {
        JdbcDataSource ds = h2();
        JdbcPolicyStore s = new JdbcPolicyStore(ds);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DROP TABLE acl_grant");
        }
        AclException e = assertThrows(AclException.class, () -> s.putGrant(grant("g", "a", "1")));
        assertEquals(AclException.Reason.STORE_FAILURE, e.reason());
        assertEquals(AclException.Reason.STORE_FAILURE, assertThrows(AclException.class, s::load).reason());
    }

    @Test
    void corruptRowsAreStoreFailuresNotSilentlySkipped() throws Exception {
        JdbcDataSource ds = h2();
        JdbcPolicyStore s = new JdbcPolicyStore(ds);
        s.putGrant(grant("g", "a", "1"));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("UPDATE acl_grant SET actions = 'not an action!'");
        }
        assertEquals(AclException.Reason.STORE_FAILURE, assertThrows(AclException.class, s::load).reason());
    }
}
