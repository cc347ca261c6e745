package io.mediastore.acl.spi;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.Fixtures;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryPolicyStoreTest extends PolicyStoreContract {
    @Override
    protected PolicyStore newStore() {
        return new InMemoryPolicyStore();
    }

    @Test
    void serviceLoaderFindsTheDefault() {
        AccessControl acl = Fixtures.acl().storeFromServiceLoader().build();
        assertTrue(acl.policy().grants().isEmpty());
        assertTrue(java.util.ServiceLoader.load(PolicyStore.class).findFirst().orElseThrow() instanceof InMemoryPolicyStore);
    }
}
