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
        assertEquals(step(v0, v0 + 1), s.putGrant(grant("g", "a", "1")));
        assertEquals(step(v0 + 1, v0 + 1), s.putGrant(grant("g", "a", "1")), "an identical put changes nothing");
        assertEquals(step(v0 + 1, v0 + 2), s.putGrant(grant("g", "b", "1")), "replacing by id is a change");
        assertEquals(step(v0 + 2, v0 + 3), s.removeGrant("g"));
        assertEquals(step(v0 + 3, v0 + 3), s.removeGrant("g"));
        Membership m = Membership.of(Principal.user("a"), Principal.group("g"));
        assertEquals(step(v0 + 3, v0 + 4), s.putMembership(m));
        assertEquals(step(v0 + 4, v0 + 4), s.putMembership(m));
        assertEquals(step(v0 + 4, v0 + 5), s.removeMembership(m));
        assertEquals(step(v0 + 5, v0 + 5), s.removeMembership(m));
        ObjectNode n = ObjectNode.of(ObjectRef.of("Asset", "1"));
        assertEquals(step(v0 + 5, v0 + 6), s.putObject(n));
        assertEquals(step(v0 + 6, v0 + 6), s.putObject(n));
        assertEquals(step(v0 + 6, v0 + 7), s.putObject(n.withOwner(Principal.user("a"))));
        assertEquals(step(v0 + 7, v0 + 8), s.removeObject(n.ref()));
        assertEquals(step(v0 + 8, v0 + 8), s.removeObject(n.ref()));
        assertEquals(v0 + 8, s.version());
        assertEquals(step(v0 + 8, v0 + 9), s.putAll(List.of(m), List.of(n), List.of(grant("h", "a", "2"), grant("i", "a", "3"))),
                "a batch is one change");
        assertEquals(step(v0 + 9, v0 + 9), s.putAll(List.of(m), List.of(n), List.of(grant("h", "a", "2"))));
        assertEquals(v0 + 9, s.load().version());
    }

    private static VersionStep step(long from, long to) {
        return new VersionStep(from, to);
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
        long v = s.putGrant(grant("g", "a", "1")).to();
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
        List<VersionStep> steps = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<VersionStep>>> fs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int tt = t;
                fs.add(pool.submit(() -> {
                    List<VersionStep> mine = new ArrayList<>();
                    for (int i = 0; i < 25; i++) {
                        mine.add(s.putGrant(grant("t" + tt + "-" + i, "u" + tt, String.valueOf(i))));
                    }
                    return mine;
                }));
            }
            for (Future<List<VersionStep>> f : fs) {
                steps.addAll(f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(100, s.load().grants().size());
        assertEquals(v0 + 100, s.version());
        // each write reports the version it was really applied to: the steps form one chain
        Set<Long> froms = new java.util.TreeSet<>();
        for (VersionStep st : steps) {
            assertEquals(st.from() + 1, st.to(), st.toString());
            froms.add(st.from());
        }
        assertEquals(java.util.stream.LongStream.range(v0, v0 + 100).boxed().toList(), List.copyOf(froms));
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

    /**
     * A node that is behind (another node wrote since its last poll) writes something the store
     * already holds: that no-op must not pass off the node's stale state as the store's newer version,
     * or the node would never reload and would keep ignoring the other node's deny.
     */
    @Test
    void aNoOpWriteOnANodeThatIsBehindDoesNotHideAnotherNodesDeny() {
        PolicyStore s = newStore();
        PolicyStore other = secondView(s);
        AccessControl n1 = Fixtures.acl().store(s).build();
        AccessControl n2 = Fixtures.acl().store(other).build();
        Principal alice = Principal.user("alice");
        Membership staff = Membership.of(alice, Principal.group("staff"));
        Grant all = Grant.allow().id("all").to(Principal.group("staff")).actions("view").onModel("Asset").build();
        n1.addMember(staff);
        n1.grant(all);
        n1.putObject(ObjectNode.of(ObjectRef.of("Asset", "1")));
        notifyRemote(other);
        // each round: n2 denies (or lifts the deny), then n1, not yet polled, repeats an existing write
        List<Runnable> noOps = List.of(() -> n1.addMember(staff), () -> n1.grant(all),
                () -> n1.removeMember(Membership.of(alice, Principal.group("nobody"))),
                () -> n1.putObject(ObjectNode.of(ObjectRef.of("Asset", "1"))), () -> n1.revoke("no-such-grant"));
        for (int round = 0; round < noOps.size(); round++) {
            boolean ban = round % 2 == 0;
            if (ban) {
                n2.grant(Grant.deny().id("ban").to(alice).actions("view").onModel("Asset").build());
            } else {
                n2.revoke("ban");
            }
            assertEquals(!ban, n2.isAllowed(alice, "view", ObjectRef.of("Asset", "1")));
            noOps.get(round).run();
            notifyRemote(s);
            assertEquals(!ban, n1.isAllowed(alice, "view", ObjectRef.of("Asset", "1")),
                    "round " + round + ": node 1 at version " + n1.version() + " after polling");
            assertEquals(n2.version(), n1.version());
        }
    }

    /** revoke() answers from the store, not from what this node has seen so far. */
    @Test
    void revokeReachesTheStoreForAGrantAnotherNodeMadeSinceTheLastPoll() {
        PolicyStore s = newStore();
        PolicyStore other = secondView(s);
        AccessControl n1 = Fixtures.acl().store(s).build();
        AccessControl n2 = Fixtures.acl().store(other).build();
        Principal bob = Principal.user("bob");
        ObjectRef a1 = ObjectRef.of("Asset", "1");
        n2.grant(Grant.allow().id("share-1").to(bob).actions("view").on(a1).build());
        assertTrue(n1.revoke("share-1"), "the store held the grant");
        assertFalse(n1.isAllowed(bob, "view", a1));
        notifyRemote(other);
        assertFalse(n2.isAllowed(bob, "view", a1), "the grant is gone from the store");
        assertTrue(s.load().grants().isEmpty());
        // the other way round: n1 knows a grant that n2 has revoked meanwhile
        n1.grant(Grant.allow().id("share-2").to(bob).actions("view").on(a1).build());
        notifyRemote(other);
        assertTrue(n2.revoke("share-2"));
        assertFalse(n1.revoke("share-2"), "already gone from the store");
        assertFalse(n1.isAllowed(bob, "view", a1));
        assertEquals(s.version(), n1.version());
    }

    /** For stores shared between nodes: make {@code store} notice changes made through another instance. */
    protected void notifyRemote(PolicyStore store) {
    }
}
