package io.mediastore.acl;

import io.mediastore.acl.internal.InternerTest;

import io.mediastore.acl.spi.InMemoryPolicyStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.mediastore.acl.Fixtures.a;
import static io.mediastore.acl.Fixtures.c;
import static io.mediastore.acl.Fixtures.u;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AccessControlTest {

    private final AccessControl acl = Fixtures.acl().build();

    private boolean can(String user, String action, ObjectRef r) {
        boolean fast = acl.isAllowed(u(user), action, r);
        Decision d = acl.check(u(user), action, r);
        assertEquals(fast, d.allowed(), "isAllowed and check disagree: " + d.explain());
        return fast;
    }

    @Test
    void defaultIsDenyWithReason() {
        Decision d = acl.check(u("alice"), "view", a("1"));
        assertFalse(d.allowed());
        assertEquals(Decision.Reason.NO_MATCHING_GRANT, d.reason());
        assertTrue(d.grant().isEmpty());
        assertTrue(d.explain().contains("no grant allows it"), d.explain());
    }

    @Test
    void directObjectGrantWithImplications() {
        acl.grant(Grant.allow().id("g1").to(u("bob")).actions("edit").on(a("42")).build());
        assertTrue(can("bob", "edit", a("42")));
        assertTrue(can("bob", "view", a("42")), "edit implies view");
        assertFalse(can("bob", "delete", a("42")));
        assertFalse(can("bob", "edit", a("43")));
        assertFalse(can("carol", "edit", a("42")));
        Decision d = acl.check(u("bob"), "view", a("42"));
        assertEquals(Decision.Reason.ALLOWED_BY_GRANT, d.reason());
        assertEquals("g1", d.grant().orElseThrow().id());
        assertEquals(List.of(a("42")), d.inheritancePath());
        assertEquals(List.of(u("bob")), d.membershipPath());
    }

    @Test
    void roleGrantThroughGroupAndRoleInheritanceOnATree() {
        acl.putObject(ObjectNode.of(c("sub")).withParent(c("root")));
        acl.putObject(ObjectNode.of(a("1")).withParent(c("sub")));
        acl.addMember(Membership.of(u("alice"), Principal.group("staff")));
        acl.addMember(Membership.of(Principal.group("staff"), Principal.role("editor")));
        acl.grant(Grant.allow().id("tree").to(Principal.role("viewer")).actions("view", "stream").onTree(c("root")).build());
        acl.grant(Grant.allow().id("ed").to(Principal.group("staff")).role("editor").onTree(c("sub")).build());

        assertTrue(can("alice", "stream", a("1")));
        assertTrue(can("alice", "download", a("1")), "editor role permits download on assets");
        assertTrue(can("alice", "edit", c("sub")));
        assertFalse(can("alice", "edit", c("root")), "editor granted on sub only");
        assertTrue(can("alice", "view", c("root")), "viewer members: editor inherits viewer");
        assertFalse(can("alice", "delete", a("1")));

        Decision d = acl.check(u("alice"), "stream", a("1"));
        assertEquals(List.of(a("1"), c("sub")), d.inheritancePath(), d.explain());
        Decision v = acl.check(u("alice"), "view", c("root"));
        assertEquals("tree", v.grant().orElseThrow().id());
        assertEquals(List.of(u("alice"), Principal.group("staff"), Principal.role("editor"), Principal.role("viewer")),
                v.membershipPath(), v.explain());
        assertTrue(v.explain().contains("membership user:alice -> group:staff -> role:editor -> role:viewer"), v.explain());
    }

    @Test
    void objectScopeDoesNotInheritButTreeScopeDoes() {
        acl.putObject(ObjectNode.of(a("1")).withParent(c("7")));
        acl.grant(Grant.allow().to(u("bob")).actions("view").on(c("7")).build());
        assertTrue(can("bob", "view", c("7")));
        assertFalse(can("bob", "view", a("1")));
        acl.grant(Grant.allow().to(u("bob")).actions("download").onTree(c("7")).build());
        assertTrue(can("bob", "download", a("1")), "a tree grant names actions of models below it");
        assertTrue(can("bob", "view", a("1")), "download implies view on assets");
    }

    @Test
    void blockedInheritanceStopsAncestorsButNotModelGrants() {
        acl.putObject(ObjectNode.of(a("1")).withParent(c("7")).withInheritanceBlocked(true));
        acl.grant(Grant.allow().to(u("bob")).actions("view").onTree(c("7")).build());
        assertFalse(can("bob", "view", a("1")));
        acl.putObject(ObjectNode.of(a("1")).withParent(c("7")));
        assertTrue(can("bob", "view", a("1")));
        acl.putObject(ObjectNode.of(a("1")).withParent(c("7")).withInheritanceBlocked(true));
        acl.grant(Grant.allow().to(u("bob")).actions("view").onModel("Asset").build());
        assertTrue(can("bob", "view", a("1")));
    }

    @Test
    void denyAlwaysWins() {
        acl.putObject(ObjectNode.of(a("1")).withParent(c("7")).withOwner(u("bob")));
        acl.grant(Grant.allow().to(u("bob")).actions("edit").on(a("1")).build());
        acl.grant(Grant.allow().to(u("bob")).role("editor").onModel("Asset").build());
        assertTrue(can("bob", "edit", a("1")));
        acl.grant(Grant.deny().id("d").to(u("bob")).actions("view").onTree(c("7")).build());
        assertFalse(can("bob", "view", a("1")), "deny on an ancestor beats allow on the object and ownership");
        assertFalse(can("bob", "edit", a("1")), "a deny of view denies edit, which implies view");
        assertTrue(can("bob", "delete", a("1")), "owner rule still covers delete");
        Decision d = acl.check(u("bob"), "edit", a("1"));
        assertEquals(Decision.Reason.DENIED_BY_GRANT, d.reason());
        assertEquals("d", d.grant().orElseThrow().id());
        assertEquals(List.of(a("1"), c("7")), d.inheritancePath());
        assertTrue(acl.revoke("d"));
        assertFalse(acl.revoke("d"));
        assertTrue(can("bob", "edit", a("1")));
        acl.grant(Grant.deny().to(Principal.role("viewer")).actions("delete").onModel("Asset").build());
        acl.addMember(Membership.of(u("bob"), Principal.role("editor")));
        assertFalse(can("bob", "delete", a("1")), "model-wide deny to a role bob inherits");
    }

    @Test
    void ownerRule() {
        acl.putObject(ObjectNode.of(a("1")).withOwner(Principal.group("team")));
        acl.addMember(Membership.of(u("dora"), Principal.group("team")));
        assertTrue(can("dora", "delete", a("1")));
        assertFalse(can("dora", "share", a("1")), "not in Asset's owner rule");
        Decision d = acl.check(u("dora"), "delete", a("1"));
        assertEquals(Decision.Reason.ALLOWED_AS_OWNER, d.reason());
        assertEquals(List.of(u("dora"), Principal.group("team")), d.membershipPath());
    }

    @Test
    void validityWindowUsesTheInjectedClock() {
        Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        AccessControl timed = Fixtures.acl().clock(clock).build();
        timed.grant(Grant.allow().to(u("eve")).actions("view").on(a("1"))
                .notBefore(Instant.parse("2026-02-01T00:00:00Z")).notAfter(Instant.parse("2026-03-01T00:00:00Z")).build());
        assertFalse(timed.isAllowed(u("eve"), "view", a("1")));
        clock.set(Instant.parse("2026-02-01T00:00:00Z"));
        assertTrue(timed.isAllowed(u("eve"), "view", a("1")));
        clock.set(Instant.parse("2026-02-28T23:59:59.999Z"));
        assertTrue(timed.isAllowed(u("eve"), "view", a("1")));
        clock.set(Instant.parse("2026-03-01T00:00:00Z"));
        assertFalse(timed.isAllowed(u("eve"), "view", a("1")), "the share ended by itself");
        timed.grant(Grant.deny().to(u("eve")).actions("view").onModel("Asset").notAfter(Instant.parse("2026-04-01T00:00:00Z")).build());
        timed.grant(Grant.allow().to(u("eve")).actions("view").on(a("2")).build());
        assertFalse(timed.isAllowed(u("eve"), "view", a("2")));
        clock.set(Instant.parse("2026-04-01T00:00:00Z"));
        assertTrue(timed.isAllowed(u("eve"), "view", a("2")), "the deny window ended");
    }

    @Test
    void unknownModelOrActionIsAnErrorNeverADecision() {
        AclException m = assertThrows(AclException.class, () -> acl.check(u("a"), "view", ObjectRef.of("Nope", "1")));
        assertEquals(AclException.Reason.UNKNOWN_MODEL, m.reason());
        AclException x = assertThrows(AclException.class, () -> acl.isAllowed(u("a"), "veiw", a("1")));
        assertEquals(AclException.Reason.UNKNOWN_ACTION, x.reason());
        assertThrows(AclException.class, () -> acl.permitted(u("a"), "Asset", "fly"));
    }

    @Test
    void inconsistentChangesAreRefusedAndChangeNothing() {
        long v = acl.version();
        assertEquals(AclException.Reason.UNKNOWN_ACTION, assertThrows(AclException.class,
                () -> acl.grant(Grant.allow().to(u("a")).actions("download").on(c("1")).build())).reason());
        assertEquals(AclException.Reason.UNKNOWN_ROLE, assertThrows(AclException.class,
                () -> acl.grant(Grant.allow().to(u("a")).role("boss").on(c("1")).build())).reason());
        assertEquals(AclException.Reason.UNKNOWN_MODEL, assertThrows(AclException.class,
                () -> acl.grant(Grant.allow().to(u("a")).actions("view").on(ObjectRef.of("Folder", "1")).build())).reason());
        assertEquals(AclException.Reason.UNKNOWN_MODEL, assertThrows(AclException.class,
                () -> acl.grant(Grant.deny().to(u("a")).actions("view").onModel("Folder").build())).reason());
        assertEquals(AclException.Reason.UNKNOWN_MODEL, assertThrows(AclException.class,
                () -> acl.putObject(ObjectNode.of(ObjectRef.of("Folder", "1")))).reason());
        assertEquals(AclException.Reason.UNKNOWN_MODEL, assertThrows(AclException.class,
                () -> acl.permitted(u("a"), "Folder", "view")).reason());
        assertEquals(AclException.Reason.UNKNOWN_ROLE, assertThrows(AclException.class,
                () -> acl.addMember(Membership.of(u("a"), Principal.role("boss")))).reason());
        assertEquals(AclException.Reason.INVALID_POLICY, assertThrows(AclException.class,
                () -> acl.putObject(ObjectNode.of(c("1")).withParent(a("2")))).reason());
        acl.putObject(ObjectNode.of(c("2")).withParent(c("1")));
        v = acl.version();
        assertEquals(AclException.Reason.INVALID_POLICY, assertThrows(AclException.class,
                () -> acl.putObject(ObjectNode.of(c("1")).withParent(c("2")))).reason(), "cycle");
        assertEquals(v, acl.version());
        assertEquals(1, acl.policy().objects().size());
    }

    @Test
    void schemaErrors() {
        assertEquals(AclException.Reason.INVALID_POLICY, assertThrows(AclException.class, () -> AccessControl.builder()
                .role(Role.builder("a").inherits("b").build()).role(Role.builder("b").inherits("a").build()).build()).reason());
        assertEquals(AclException.Reason.UNKNOWN_MODEL, assertThrows(AclException.class, () -> AccessControl.builder()
                .model(Model.builder("Asset").actions("view").parent("Folder").build()).build()).reason());
        assertEquals(AclException.Reason.UNKNOWN_ROLE, assertThrows(AclException.class, () -> AccessControl.builder()
                .role(Role.builder("a").inherits("b").build()).build()).reason());
        assertThrows(IllegalArgumentException.class, () -> Model.builder("Asset").actions("view").implies("edit", "view").build());
        assertThrows(IllegalArgumentException.class, () -> Model.builder("bad name"));
        assertThrows(IllegalArgumentException.class, () -> Grant.allow().to(u("a")).on(a("1")).build());
        assertThrows(IllegalArgumentException.class, () -> Grant.allow().to(u("a")).actions("view").role("viewer").on(a("1")).build());
        assertThrows(IllegalArgumentException.class, () -> Grant.allow().to(u("a")).actions("view").on(a("1"))
                .notBefore(Instant.EPOCH).notAfter(Instant.EPOCH).build());
        assertThrows(IllegalArgumentException.class, () -> u("a\nb"));
    }

    @Test
    void replacingAGrantById() {
        acl.grant(Grant.allow().id("s").to(u("f")).actions("view").on(a("1")).build());
        assertTrue(can("f", "view", a("1")));
        acl.grant(Grant.allow().id("s").to(u("f")).actions("view").on(a("2")).build());
        assertFalse(can("f", "view", a("1")));
        assertTrue(can("f", "view", a("2")));
        assertEquals(1, acl.grantCount());
    }

    @Test
    void auditSinkSeesDecisionsAndCannotChangeThem() {
        List<Decision> seen = new ArrayList<>();
        AccessControl audited = Fixtures.acl().auditSink(seen::add).auditSink(d -> {
            throw new IllegalStateException("sink down");
        }).build();
        audited.grant(Grant.allow().to(u("g")).actions("view").on(a("1")).build());
        assertTrue(audited.isAllowed(u("g"), "view", a("1")));
        assertFalse(audited.check(u("g"), "edit", a("1")).allowed());
        assertEquals(2, seen.size());
        assertTrue(seen.get(0).allowed());
        assertEquals(Decision.Reason.NO_MATCHING_GRANT, seen.get(1).reason());
    }

    @Test
    void twoInstancesOnOneStoreSeeEachOthersChanges() {
        InMemoryPolicyStore store = new InMemoryPolicyStore();
        AccessControl n1 = Fixtures.acl().store(store).build();
        AccessControl n2 = Fixtures.acl().store(store).build();
        n1.grant(Grant.allow().id("x").to(u("h")).actions("view").on(a("1")).build());
        assertTrue(n2.isAllowed(u("h"), "view", a("1")));
        n2.revoke("x");
        assertFalse(n1.isAllowed(u("h"), "view", a("1")));
        n1.grant(Grant.allow().id("y").to(u("h")).actions("view").on(a("2")).build());
        n2.grant(Grant.allow().id("z").to(u("h")).actions("view").on(a("3")).build());
        assertTrue(n1.isAllowed(u("h"), "view", a("3")));
        assertTrue(n2.isAllowed(u("h"), "view", a("2")));
        assertEquals(n1.policy(), n2.policy());
    }

    @Test
    void checksNeverBlockOrFailWhileTheSnapshotIsReplaced() throws Exception {
        acl.grant(Grant.allow().id("base").to(u("r")).actions("view").on(a("0")).build());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (!stop.get()) {
                    if (!acl.isAllowed(u("r"), "view", a("0"))) {
                        throw new AssertionError("stable grant lost during a change");
                    }
                    acl.isAllowed(u("r"), "view", a("5"));
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        for (int i = 0; i < 2000; i++) {
            acl.putObject(ObjectNode.of(a("x" + i)).withParent(c("c" + (i % 10))));
            acl.grant(Grant.allow().id("g" + i).to(u("r" + i)).actions("view").on(a("x" + i)).build());
            if (i % 3 == 0) {
                acl.revoke("g" + i);
            }
        }
        stop.set(true);
        reader.join();
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(acl.isAllowed(u("r1"), "view", a("x1")));
        assertFalse(acl.isAllowed(u("r3"), "view", a("x3")));
    }

    @Test
    void permittedObjectsMatchChecks() {
        for (int i = 0; i < 20; i++) {
            acl.putObject(ObjectNode.of(a(String.valueOf(i))).withParent(c(i < 10 ? "even" : "odd")));
        }
        acl.grant(Grant.allow().to(u("k")).actions("view").onTree(c("even")).build());
        acl.grant(Grant.allow().to(u("k")).actions("view").on(a("15")).build());
        acl.grant(Grant.deny().to(u("k")).actions("view").on(a("3")).build());
        PermittedObjects p = acl.permitted(u("k"), "Asset", "view");
        assertFalse(p.allExceptExcluded());
        assertEquals(java.util.Set.of("0", "1", "2", "4", "5", "6", "7", "8", "9", "15"), p.included());
        acl.grant(Grant.allow().to(u("k")).actions("view").onModel("Asset").build());
        PermittedObjects all = acl.permitted(u("k"), "Asset", "view");
        assertTrue(all.allExceptExcluded());
        assertEquals(java.util.Set.of("3"), all.excluded());
        assertTrue(all.permits("999"));
        assertFalse(all.permits("3"));
    }

    @Test
    void explanationNamesTheRoleStepTheImplicationAndWhereInheritanceStopped() {
        acl.putObject(ObjectNode.of(c("sub")).withParent(c("root")));
        acl.putObject(ObjectNode.of(a("1")).withParent(c("sub")));
        acl.putObject(ObjectNode.of(a("2")).withParent(c("sub")).withInheritanceBlocked(true));
        acl.grant(Grant.allow().id("ed").to(u("ivy")).role("editor").onTree(c("root")).build());

        // editor lists Asset edit and download itself; stream comes from viewer, which editor inherits
        Decision stream = acl.check(u("ivy"), "stream", a("1"));
        assertTrue(stream.allowed());
        assertEquals(List.of("editor", "viewer"), stream.rolePath());
        assertTrue(stream.impliedBy().isEmpty());
        assertEquals(List.of(a("1"), c("sub"), c("root")), stream.inheritancePath());
        assertTrue(stream.explain().contains("; role editor -> viewer;"), stream.explain());
        Decision download = acl.check(u("ivy"), "download", a("1"));
        assertEquals(List.of("editor"), download.rolePath());

        // view: editor's edit implies view on assets
        Decision view = acl.check(u("ivy"), "view", a("1"));
        assertEquals(List.of("editor"), view.rolePath());
        assertEquals("edit", view.impliedBy().orElseThrow());
        assertTrue(view.explain().contains("; edit implies view"), view.explain());

        // a deny of view denies edit, and the explanation says why
        acl.grant(Grant.deny().id("nv").to(u("ivy")).actions("view").on(a("1")).build());
        Decision edit = acl.check(u("ivy"), "edit", a("1"));
        assertEquals(Decision.Reason.DENIED_BY_GRANT, edit.reason());
        assertEquals("view", edit.impliedBy().orElseThrow());
        assertTrue(edit.explain().contains("denied by deny nv") && edit.explain().contains("; edit implies view"), edit.explain());

        // "why can't I see this?": the tree grant stops where inheritance is blocked
        Decision blocked = acl.check(u("ivy"), "view", a("2"));
        assertEquals(Decision.Reason.NO_MATCHING_GRANT, blocked.reason());
        assertEquals(a("2"), blocked.inheritanceBlockedAt().orElseThrow());
        assertTrue(blocked.explain().endsWith("no grant allows it; inheritance blocked at Asset:2"), blocked.explain());
        assertTrue(acl.check(u("ivy"), "view", a("unknown")).inheritanceBlockedAt().isEmpty());
        assertTrue(acl.check(u("ivy"), "view", a("1")).inheritanceBlockedAt().isEmpty());
        assertTrue(acl.check(u("nobody"), "view", a("1")).rolePath().isEmpty());
    }

    @Test
    void withoutAnAuditSinkACheckAllocatesNothing() {
        // every path a check takes: object grant, tree grant through a group and role inheritance,
        // a deny, the owner rule, a windowed grant (reads the clock), an unknown object and principal
        acl.putObject(ObjectNode.of(a("1")).withParent(c("7")).withOwner(u("own")));
        acl.addMember(Membership.of(u("al"), Principal.group("staff")));
        acl.addMember(Membership.of(Principal.group("staff"), Principal.role("editor")));
        acl.grant(Grant.allow().to(Principal.role("viewer")).actions("view").onTree(c("7")).build());
        acl.grant(Grant.allow().to(u("bo")).actions("edit").on(a("1")).notAfter(Instant.parse("2999-01-01T00:00:00Z")).build());
        acl.grant(Grant.deny().to(u("cy")).actions("view").onModel("Asset").build());
        Principal[] who = {u("al"), u("bo"), u("cy"), u("own"), u("stranger")};
        String[] what = {"view", "edit", "delete"};
        ObjectRef[] on = {a("1"), a("nope")};
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int allowed = 0;
        for (int round = 0; round < 2; round++) {
            long before = mx.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 30_000; i++) {
                if (acl.isAllowed(who[i % who.length], what[i % what.length], on[i % on.length])) {
                    allowed++;
                }
            }
            long bytes = mx.getCurrentThreadAllocatedBytes() - before;
            if (round == 1) {
                // 30,000 checks: a single allocated object per check would be at least 480,000 bytes
                assertTrue(bytes < 4_096, bytes + " bytes allocated by 30,000 checks without an audit sink");
            }
        }
        assertTrue(allowed > 0);

        // with a sink installed the decisions are built and handed over: that cost only exists then
        int[] seen = {0};
        AccessControl audited = Fixtures.acl().auditSink(d -> seen[0]++).build();
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 30_000; i++) {
            audited.isAllowed(who[i % who.length], what[i % what.length], on[i % on.length]);
        }
        assertEquals(30_000, seen[0]);
        assertTrue(mx.getCurrentThreadAllocatedBytes() - before > 30_000L * 16);
    }

    @Test
    void deepAndDiamondShapedRoleGraphsCompileAndCheckQuickly() {
        AccessControl.Builder b = AccessControl.builder().model(Fixtures.collection()).model(Fixtures.asset())
                .role(Role.builder("c0").permit("Asset", "delete").build())
                .role(Role.builder("r0").permit("Asset", "view").build()).role(Role.builder("s0").permit("Asset", "edit").build());
        for (int i = 1; i <= Role.MAX_ANCESTORS; i++) {
            b.role(Role.builder("c" + i).inherits("c" + (i - 1)).build());
        }
        for (int i = 1; i <= 40; i++) {
            b.role(Role.builder("r" + i).inherits("r" + (i - 1), "s" + (i - 1)).build());
            b.role(Role.builder("s" + i).inherits("r" + (i - 1), "s" + (i - 1)).build());
        }
        AccessControl deep = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            AccessControl a = b.build();
            a.addMember(Membership.of(u("ann"), Principal.role("c" + Role.MAX_ANCESTORS)));
            a.addMember(Membership.of(u("ann"), Principal.role("r40")));
            a.grant(Grant.allow().to(Principal.role("c0")).actions("delete").on(a("1")).build());
            a.grant(Grant.allow().to(u("bob")).role("r40").on(a("1")).build());
            return a;
        });
        assertTrue(deep.isAllowed(u("ann"), "delete", a("1")), "member of c1000, which inherits c0");
        assertTrue(deep.isAllowed(u("bob"), "edit", a("1")), "r40 inherits s0's edit");
        assertTrue(deep.isAllowed(u("bob"), "view", a("1")));
        assertFalse(deep.isAllowed(u("bob"), "delete", a("1")));
        assertEquals(AclException.Reason.INVALID_POLICY, assertThrows(AclException.class,
                () -> b.role(Role.builder("too-deep").inherits("c" + Role.MAX_ANCESTORS).build()).build()).reason());
    }

    @Test
    void windowsBeyondTheEpochMillisecondRangeAreRefusedWhereTheGrantIsBuilt() {
        IllegalArgumentException far = assertThrows(IllegalArgumentException.class,
                () -> Grant.allow().to(u("a")).actions("view").on(a("1")).notAfter(Instant.parse("+1000000000-12-31T23:59:59Z")));
        assertTrue(far.getMessage().contains("notAfter +1000000000-12-31T23:59:59Z is outside the epoch-millisecond range"),
                far.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Grant.deny().notBefore(Instant.MIN));
        assertThrows(IllegalArgumentException.class, () -> Grant.deny().notBefore(Instant.ofEpochMilli(Long.MIN_VALUE).minusNanos(1)));
        // the extremes themselves are windows like any other
        Fixtures.MutableClock clock = new Fixtures.MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
        AccessControl timed = Fixtures.acl().clock(clock).build();
        timed.grant(Grant.allow().to(u("a")).actions("view").on(a("1"))
                .notBefore(Instant.ofEpochMilli(Long.MIN_VALUE)).notAfter(Instant.ofEpochMilli(Long.MAX_VALUE).plusNanos(999_999)).build());
        assertTrue(timed.isAllowed(u("a"), "view", a("1")));
        assertEquals(Instant.ofEpochMilli(Long.MAX_VALUE), timed.policy().grants().get(0).notAfter().orElseThrow());
    }

    /**
     * Ids built from "Aa" and "BB" blocks all have one String.hashCode. Interning them must not put
     * them on one probe chain, which made building and checking quadratic.
     */
    @Test
    void idsWithCollidingHashCodesCostNoMoreThanOthers() {
        int n = 1 << 15;
        List<String> colliding = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int bit = 0; bit < 15; bit++) {
                b.append(((i >> bit) & 1) == 0 ? "Aa" : "BB");
            }
            colliding.add(b.toString());
        }
        assertEquals(1, colliding.stream().map(String::hashCode).distinct().count());
        List<String> plain = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            plain.add(String.format("user-%025d", i));
        }
        buildAndCheck(plain);                      // warm up
        long tPlain = buildAndCheck(plain);
        long tColliding = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> buildAndCheck(colliding));
        assertTrue(tColliding < 10 * tPlain + 500, "plain ids: " + tPlain + " ms, colliding ids: " + tColliding + " ms");
    }

    /**
     * Ids with distinct String.hashCodes can still share one home slot: the hash and its mixing steps can be
     * inverted. Interning them must not put them on one probe run either.
     */
    @Test
    void idsWithDistinctHashCodesButOneHomeSlotCostNoMoreThanOthers() {
        int n = 1 << 15;
        int userTag = Principal.Kind.USER.ordinal();
        List<String> clustered = new ArrayList<>(n);
        for (int k = 1; k <= n; k++) {
            clustered.add(InternerTest.withHashCode(InternerTest.hashCodeFor(k << 17, userTag))); // distinct hashes, their low 17 bits zero
        }
        assertEquals(n, clustered.stream().map(String::hashCode).distinct().count(), "no two share a hashCode");
        List<String> plain = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            plain.add(String.format("user-%025d", i));
        }
        buildAndCheck(plain);                      // warm up
        long tPlain = buildAndCheck(plain);
        long tClustered = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> buildAndCheck(clustered));
        assertTrue(tClustered < 10 * tPlain + 500, "plain ids: " + tPlain + " ms, clustered ids: " + tClustered + " ms");
    }

    /** Builds a policy with one grant per id (user and asset named by it) and checks 2,000 of them; in ms. */
    private static long buildAndCheck(List<String> ids) {
        long t0 = System.nanoTime();
        Policy.Builder p = Policy.builder();
        for (String id : ids) {
            p.grant(Grant.allow().id("g-" + id).to(u(id)).actions("view").on(a(id)).build());
        }
        AccessControl acl = Fixtures.acl().policy(p.build()).build();
        for (int i = 0; i < 2000; i++) {
            assertEquals(i == ids.size() - 1 - i, acl.isAllowed(u(ids.get(ids.size() - 1 - i)), "view", a(ids.get(i))));
            assertTrue(acl.isAllowed(u(ids.get(i)), "view", a(ids.get(i))));
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
