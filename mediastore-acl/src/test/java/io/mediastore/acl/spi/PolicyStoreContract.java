package io.mediastore.acl.spi;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.Fixtures;
import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.ObjectNode;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link PolicyStore} must do. Implementations' tests extend this and return a fresh,
 * empty store from {@link #newStore()}; {@link #secondView(PolicyStore)} returns another instance over
 * the same data when the store is shared between nodes (or the same instance otherwise).
 */
public abstract class PolicyStoreContract {

    protected abstract PolicyStore newStore();

    protected PolicyStore secondView(PolicyStore store) {
        return store;
    }

    static Grant grant(String id, String user, String asset) {
        return Grant.allow().id(id).to(Principal.user(user)).actions("view", "edit").on(ObjectRef.of("Asset", asset))
                .notAfter(Instant.parse("2030-01-02T03:04:05.678Z")).build();
    }

    @Test
    void emptyStoreLoadsEmpty() {
        StoredPolicy p = newStore().load();
        assertTrue(p.grants().isEmpty());
        assertTrue(p.memberships().isEmpty());
        assertTrue(p.objects().isEmpty());
    }

    @Test
    void everyShapeOfEntryRoundTrips() {
        PolicyStore s = newStore();
        List<Grant> grants = List.of(
                grant("g1", "ann", "1"),
                Grant.deny().id("g2 with spaces, commas and ünïcode").to(Principal.group("staff")).role("editor")
                        .onTree(ObjectRef.of("Collection", "c/1")).notBefore(Instant.ofEpochMilli(5)).build(),
                Grant.allow().id("g3").to(Principal.role("viewer")).actions("view").onModel("Asset").build());
        List<Membership> ms = List.of(Membership.of(Principal.user("ann"), Principal.group("staff")),
                Membership.of(Principal.group("staff"), Principal.role("editor")));
        List<ObjectNode> os = List.of(ObjectNode.of(ObjectRef.of("Collection", "c/1")),
                ObjectNode.of(ObjectRef.of("Asset", "1")).withParent(ObjectRef.of("Collection", "c/1"))
                        .withOwner(Principal.user("ann")).withInheritanceBlocked(true));
        ms.forEach(s::putMembership);
        os.forEach(s::putObject);
        grants.forEach(s::putGrant);
        StoredPolicy p = s.load();
        assertEquals(grants, p.grants());
        assertEquals(ms, p.memberships());
        assertEquals(os, p.objects());
    }

    @Test
    void versionsStepByOnePerEffectiveChange() {
        PolicyStore s = newStore();
        long v0 = s.version();
        assertEquals(v0 + 1, s.putGrant(grant("g", "a", "1")));
        assertEquals(v0 + 1, s.putGrant(grant("g", "a", "1")), "an identical put changes nothing");
        assertEquals(v0 + 2, s.putGrant(grant("g", "b", "1")), "replacing by id is a change");
        assertEquals(v0 + 3, s.removeGrant("g"));
        assertEquals(v0 + 3, s.removeGrant("g"));
        Membership m = Membership.of(Principal.user("a"), Principal.group("g"));
        assertEquals(v0 + 4, s.putMembership(m));
        assertEquals(v0 + 4, s.putMembership(m));
        assertEquals(v0 + 5, s.removeMembership(m));
        ObjectNode n = ObjectNode.of(ObjectRef.of("Asset", "1"));
        assertEquals(v0 + 6, s.putObject(n));
        assertEquals(v0 + 6, s.putObject(n));
        assertEquals(v0 + 7, s.putObject(n.withOwner(Principal.user("a"))));
        assertEquals(v0 + 8, s.removeObject(n.ref()));
        assertEquals(v0 + 8, s.version());
        assertEquals(v0 + 9, s.putAll(List.of(m), List.of(n), List.of(grant("h", "a", "2"), grant("i", "a", "3"))),
                "a batch is one change");
        assertEquals(v0 + 9, s.load().version());
    }

    @Test
    void replacingKeepsTheFirstPosition() {
        PolicyStore s = newStore();
        s.putGrant(grant("a", "x", "1"));
        s.putGrant(grant("b", "x", "2"));
        s.putGrant(grant("a", "y", "1"));
        assertEquals(List.of("a", "b"), s.load().grants().stream().map(Grant::id).toList());
        assertEquals(Principal.user("y"), s.load().grants().get(0).subject());
    }

    @Test
    void listenersHearChanges() {
        PolicyStore s = newStore();
        List<Long> heard = new ArrayList<>();
        PolicyChangeListener l = heard::add;
        s.addChangeListener(l);
        long v = s.putGrant(grant("g", "a", "1"));
        s.putGrant(grant("g", "a", "1"));
        assertEquals(List.of(v), heard);
        s.removeChangeListener(l);
        s.removeGrant("g");
        assertEquals(List.of(v), heard);
    }

    @Test
    void concurrentWritersLoseNothing() throws Exception {
        PolicyStore s = newStore();
        long v0 = s.version();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int tt = t;
                fs.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        s.putGrant(grant("t" + tt + "-" + i, "u" + tt, String.valueOf(i)));
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(100, s.load().grants().size());
        assertEquals(v0 + 100, s.version());
    }

    @Test
    void anAccessControlOnTheStoreSeesOtherWritersAfterNotification() {
        PolicyStore s = newStore();
        PolicyStore other = secondView(s);
        AccessControl n1 = Fixtures.acl().store(s).build();
        AccessControl n2 = Fixtures.acl().store(other).build();
        n1.grant(grant("g", "ann", "1"));
        notifyRemote(other);
        assertTrue(n2.isAllowed(Principal.user("ann"), "edit", ObjectRef.of("Asset", "1")));
        n2.addMember(Membership.of(Principal.user("bob"), Principal.role("editor")));
        n2.grant(Grant.allow().id("t").to(Principal.role("viewer")).actions("view").onTree(ObjectRef.of("Collection", "c")).build());
        n2.putObject(ObjectNode.of(ObjectRef.of("Asset", "2")).withParent(ObjectRef.of("Collection", "c")));
        notifyRemote(s);
        assertTrue(n1.isAllowed(Principal.user("bob"), "view", ObjectRef.of("Asset", "2")));
        n1.revoke("t");
        notifyRemote(other);
        assertFalse(n2.isAllowed(Principal.user("bob"), "view", ObjectRef.of("Asset", "2")));
        assertEquals(n1.policy(), n2.policy());
        assertEquals(Set.of("g"), Set.copyOf(n2.policy().grants().stream().map(Grant::id).toList()));
    }

    /** For stores shared between nodes: make {@code store} notice changes made through another instance. */
    protected void notifyRemote(PolicyStore store) {
    }
}
