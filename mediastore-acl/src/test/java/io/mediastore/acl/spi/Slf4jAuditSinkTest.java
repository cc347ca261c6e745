package io.mediastore.acl.spi;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.Fixtures;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Slf4jAuditSinkTest extends AuditSinkContract {
    @Override
    protected AuditSink newSink() {
        return new Slf4jAuditSink();
    }

    @Test
    void serviceLoaderDiscoveryIsOptIn() {
        // the test resources register CountingAuditSink; only auditSinksFromServiceLoader() installs it
        CountingAuditSink.COUNT.set(0);
        AccessControl plain = Fixtures.acl().build();
        plain.isAllowed(Principal.user("a"), "view", ObjectRef.of("Asset", "1"));
        assertEquals(0, CountingAuditSink.COUNT.get());
        AccessControl discovered = Fixtures.acl().auditSinksFromServiceLoader().build();
        discovered.isAllowed(Principal.user("a"), "view", ObjectRef.of("Asset", "1"));
        discovered.check(Principal.user("a"), "view", ObjectRef.of("Asset", "1"));
        assertEquals(2, CountingAuditSink.COUNT.get());
    }
}
