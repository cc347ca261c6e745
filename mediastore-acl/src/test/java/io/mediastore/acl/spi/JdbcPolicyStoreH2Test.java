package io.mediastore.acl.spi;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.AclException;
import io.mediastore.acl.Fixtures;
import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
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

    /**
     * Two nodes on one database write in any interleaving (many writes repeat what the store already
     * holds, some nodes are behind); once both have polled, each decides exactly as a node that has
     * just loaded the store.
     */
    @Property(tries = 60)
    void interleavedWritesOnTwoNodesConvergeAfterPolling(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 2 * 6 * 9 - 1) Integer> ops) {
        JdbcDataSource ds = h2();
        JdbcPolicyStore[] stores = {new JdbcPolicyStore(ds), new JdbcPolicyStore(ds)};
        AccessControl[] nodes = {Fixtures.acl().store(stores[0]).build(), Fixtures.acl().store(stores[1]).build()};
        // so that memberships matter too
        nodes[0].grant(Grant.allow().id("staff").to(Principal.group("staff")).actions("view").on(ObjectRef.of("Asset", "1")).build());
        stores[1].pollForChanges();
        for (int op : ops) {
            AccessControl n = nodes[op % 2];
            int kind = op / 2 % 6;
            int arg = op / 12;              // 0..8
            Principal user = Principal.user("u" + arg % 3);
            ObjectRef asset = ObjectRef.of("Asset", String.valueOf(arg / 3));
            switch (kind) {
                case 0 -> n.grant(Grant.allow().id("a" + arg % 3).to(user).actions("view").on(asset).build());
                case 1 -> n.grant(Grant.deny().id("d" + arg / 3).to(user).actions("view").onModel("Asset").build());
                case 2 -> n.revoke((arg % 2 == 0 ? "a" : "d") + arg % 3);
                case 3 -> n.addMember(Membership.of(user, Principal.group("staff")));
                case 4 -> n.removeMember(Membership.of(user, Principal.group("staff")));
                default -> stores[op % 2].pollForChanges();
            }
        }
        stores[0].pollForChanges();
        stores[1].pollForChanges();
        AccessControl fresh = Fixtures.acl().store(new JdbcPolicyStore(ds)).build();
        for (int u = 0; u < 3; u++) {
            for (int a = 0; a < 3; a++) {
                Principal p = Principal.user("u" + u);
                ObjectRef r = ObjectRef.of("Asset", String.valueOf(a));
                boolean want = fresh.isAllowed(p, "view", r);
                assertEquals(want, nodes[0].isAllowed(p, "view", r), p + " " + r + " on node 0 after " + ops);
                assertEquals(want, nodes[1].isAllowed(p, "view", r), p + " " + r + " on node 1 after " + ops);
            }
        }
    }
}
