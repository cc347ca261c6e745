package io.mediastore.acl.spi;

import io.mediastore.acl.EmbeddedPostgresServer;

import javax.sql.DataSource;

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
}
