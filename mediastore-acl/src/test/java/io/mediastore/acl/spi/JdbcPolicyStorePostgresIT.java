package io.mediastore.acl.spi;

import io.mediastore.acl.EmbeddedPostgresServer;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The policy store contract on a real PostgreSQL server; a second store instance plays another node. */
class JdbcPolicyStorePostgresIT extends PolicyStoreContract {
    private DataSource last;

    @Override
    protected PolicyStore newStore() {
        last = EmbeddedPostgresServer.freshDatabase();
        return new JdbcPolicyStore(last);
    }

    @Override
    protected PolicyStore secondView(PolicyStore store) {
        return new JdbcPolicyStore(last);
    }

    @Override
    protected void notifyRemote(PolicyStore store) {
        ((JdbcPolicyStore) store).pollForChanges();
    }

    @Test
    void nodesStartingAtOnceMigrateExactlyOnce() throws Exception {
        DataSource ds = EmbeddedPostgresServer.freshDatabase();
        int nodes = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<JdbcPolicyStore> stores = new ArrayList<>();
        try {
            List<Future<JdbcPolicyStore>> fs = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                fs.add(pool.submit(() -> {
                    go.await();
                    return new JdbcPolicyStore(ds);
                }));
            }
            go.countDown();
            for (Future<JdbcPolicyStore> f : fs) {
                stores.add(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        stores.get(0).putGrant(grant("g", "a", "1"));
        for (JdbcPolicyStore s : stores) {
            assertEquals(1, s.load().grants().size());
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM acl_schema_version WHERE version > 0")) {
            rs.next();
            assertEquals(1, rs.getInt(1));
            assertEquals(1, rs.getInt(2));
        }
    }
}
