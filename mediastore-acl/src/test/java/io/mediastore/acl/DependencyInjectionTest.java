package io.mediastore.acl;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Provides;
import io.mediastore.acl.spi.AuditSink;
import io.mediastore.acl.spi.InMemoryPolicyStore;
import io.mediastore.acl.spi.JdbcPolicyStore;
import io.mediastore.acl.spi.PolicyStore;
import io.mediastore.acl.spi.Slf4jAuditSink;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real jakarta.inject container (Guice 7) builds the module's classes from their {@code @Inject}
 * constructors, honouring {@code @Singleton}: no container is required, but any can wire them.
 */
class DependencyInjectionTest {

    static final String POLICY = """
            model Collection actions=view,edit implies=edit>view parent=Collection
            model Asset actions=view,download,edit implies=edit>view parent=Collection owner=view,edit
            role viewer Asset=view,download Collection=view
            role editor inherits=viewer Asset=edit Collection=edit
            """;

    @Test
    void guiceWiresAccessControlOverTheJdbcStore() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:di-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Clock clock = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(DataSource.class).toInstance(ds);
                bind(Clock.class).toInstance(clock);
                bind(PolicyStore.class).to(JdbcPolicyStore.class);
                bind(AuditSink.class).to(Slf4jAuditSink.class);
            }

            @Provides
            Policy policy() {
                return PolicyFile.parse(POLICY);
            }
        });
        AccessControl acl = injector.getInstance(AccessControl.class);
        assertSame(acl, injector.getInstance(AccessControl.class), "@Singleton");
        assertSame(injector.getInstance(PolicyStore.class), injector.getInstance(PolicyStore.class), "@Singleton store");
        assertInstanceOf(Slf4jAuditSink.class, injector.getInstance(AuditSink.class));

        acl.putObject(ObjectNode.of(ObjectRef.of("Asset", "1")).withParent(ObjectRef.of("Collection", "c")));
        acl.grant(Grant.allow().id("share").to(Principal.user("ann")).role("viewer").onTree(ObjectRef.of("Collection", "c"))
                .notAfter(Instant.parse("2026-07-01T00:00:00Z")).build());
        assertTrue(acl.isAllowed(Principal.user("ann"), "download", ObjectRef.of("Asset", "1")));
        assertFalse(acl.isAllowed(Principal.user("ann"), "edit", ObjectRef.of("Asset", "1")));
        // the grant went to the database: a fresh store over it sees it
        assertEquals(1, new JdbcPolicyStore(ds).load().grants().size());
    }

    @Test
    void guiceWiresTheInMemoryDefaults() {
        Injector injector = Guice.createInjector(new AbstractModule() {
            @Override
            protected void configure() {
                bind(PolicyStore.class).to(InMemoryPolicyStore.class);
                bind(Clock.class).toInstance(Clock.systemUTC());
                bind(Policy.class).toInstance(PolicyFile.parse(POLICY));
            }
        });
        AccessControl acl = injector.getInstance(AccessControl.class);
        acl.grant(Grant.allow().to(Principal.user("bo")).actions("edit").on(ObjectRef.of("Asset", "9")).build());
        assertTrue(acl.check(Principal.user("bo"), "view", ObjectRef.of("Asset", "9")).allowed());
    }
}
