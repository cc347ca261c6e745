package io.mediastore.acl;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AclProperties {

    record Check(Principal who, String action, ObjectRef obj) {
    }

    @Provide
    Arbitrary<Policy> policies() {
        return Combinators.combine(Arbitraries.longs(),
                Arbitraries.strings().withChars("abcdef").ofMinLength(1).ofMaxLength(2).list().ofMinSize(1).ofMaxSize(8),
                Arbitraries.integers().between(0, 25)).as(PolicyFileProperties::randomPolicy);
    }

    /** Every principal, action and object the policy mentions, plus one it does not. */
    static List<Check> universe(Policy p) {
        Set<Principal> who = new LinkedHashSet<>();
        Set<ObjectRef> objs = new LinkedHashSet<>();
        p.memberships().forEach(m -> {
            who.add(m.member());
            who.add(m.parent());
        });
        p.grants().forEach(g -> {
            who.add(g.subject());
            g.target().ifPresent(objs::add);
        });
        p.objects().forEach(o -> {
            objs.add(o.ref());
            o.parent().ifPresent(objs::add);
            o.owner().ifPresent(who::add);
        });
        who.add(Principal.user("stranger"));
        objs.add(ObjectRef.of("Asset", "unseen"));
        List<Check> out = new ArrayList<>();
        for (Principal w : who) {
            for (ObjectRef o : objs) {
                Model m = p.models().stream().filter(x -> x.name().equals(o.model())).findFirst().orElseThrow();
                for (String a : m.actions()) {
                    out.add(new Check(w, a, o));
                }
            }
        }
        return out;
    }

    static AccessControl load(Policy p, Instant now) {
        return AccessControl.builder().policy(p).clock(new Fixtures.MutableClock(now)).build();
    }

    static Instant now(long ms) {
        return Instant.ofEpochMilli(ms);
    }

    @Property(tries = 200)
    void engineMatchesTheNaiveReading(@ForAll("policies") Policy p, @ForAll @IntRange(max = 3_500_000) int ms) {
        AccessControl acl = load(p, now(ms));
        NaiveOracle oracle = new NaiveOracle(p);
        for (Check c : universe(p)) {
            boolean expected = oracle.allowed(c.who, c.action, c.obj, now(ms));
            assertEquals(expected, acl.isAllowed(c.who, c.action, c.obj), () -> c + ": " + acl.check(c.who, c.action, c.obj).explain());
            assertEquals(expected, acl.check(c.who, c.action, c.obj).allowed());
        }
    }

    @Property(tries = 200)
    void aDenyAlwaysWins(@ForAll("policies") Policy p, @ForAll long seed, @ForAll @IntRange(max = 3_500_000) int ms) {
        List<Check> u = universe(p);
        Random r = new Random(seed);
        Check c = u.get(r.nextInt(u.size()));
        // a deny reaching the check by any route: on the object, its tree, or its model
        Grant.Builder d = Grant.deny().id("the-deny").to(c.who).actions(c.action);
        switch (r.nextInt(3)) {
            case 0 -> d.on(c.obj);
            case 1 -> d.onTree(c.obj);
            default -> d.onModel(c.obj.model());
        }
        Policy withDeny = p.toBuilder().grant(d.build()).build();
        AccessControl acl = load(withDeny, now(ms));
        Decision dec = acl.check(c.who, c.action, c.obj);
        assertFalse(dec.allowed(), dec.explain());
        assertEquals(Decision.Reason.DENIED_BY_GRANT, dec.reason());
    }

    @Property(tries = 150)
    void addingAnAllowNeverRemovesAccess(@ForAll("policies") Policy p, @ForAll long seed, @ForAll @IntRange(max = 3_500_000) int ms) {
        AccessControl acl = load(p, now(ms));
        List<Check> u = universe(p);
        List<Boolean> before = u.stream().map(c -> acl.isAllowed(c.who, c.action, c.obj)).toList();
        Random r = new Random(seed);
        Check c = u.get(r.nextInt(u.size()));
        Grant.Builder g = Grant.allow().to(c.who).actions(c.action);
        switch (r.nextInt(3)) {
            case 0 -> g.on(c.obj);
            case 1 -> g.onTree(c.obj);
            default -> g.onModel(c.obj.model());
        }
        acl.grant(g.build());
        for (int i = 0; i < u.size(); i++) {
            Check x = u.get(i);
            if (before.get(i)) {
                assertTrue(acl.isAllowed(x.who, x.action, x.obj), x.toString());
            }
        }
    }

    @Property(tries = 150)
    void removingAnAllowNeverAddsAccess(@ForAll("policies") Policy p, @ForAll long seed, @ForAll @IntRange(max = 3_500_000) int ms) {
        List<Grant> allows = p.grants().stream().filter(g -> g.effect() == Grant.Effect.ALLOW).toList();
        if (allows.isEmpty()) {
            return;
        }
        AccessControl acl = load(p, now(ms));
        List<Check> u = universe(p);
        List<Boolean> before = u.stream().map(c -> acl.isAllowed(c.who, c.action, c.obj)).toList();
        assertTrue(acl.revoke(allows.get(new Random(seed).nextInt(allows.size())).id()));
        for (int i = 0; i < u.size(); i++) {
            Check x = u.get(i);
            if (!before.get(i)) {
                assertFalse(acl.isAllowed(x.who, x.action, x.obj), x.toString());
            }
        }
    }

    @Property(tries = 150)
    void singleChangesInAnyOrderEqualAFreshLoad(@ForAll("policies") Policy p, @ForAll long seed) {
        Random r = new Random(seed);
        AccessControl.Builder b = AccessControl.builder().clock(new Fixtures.MutableClock(now(1_500_000)));
        p.models().forEach(b::model);
        p.roles().forEach(b::role);
        AccessControl acl = b.build();
        List<Runnable> changes = new ArrayList<>();
        p.memberships().forEach(m -> changes.add(() -> acl.addMember(m)));
        p.objects().forEach(o -> changes.add(() -> acl.putObject(o)));
        p.grants().forEach(g -> changes.add(() -> acl.grant(g)));
        for (Grant g : p.grants()) {
            if (r.nextInt(4) == 0) {
                // a decoy under the same id, replaced later by the real grant
                Grant decoy = Grant.allow().id(g.id()).to(Principal.user("decoy")).actions("view").onModel("Asset").build();
                changes.add(0, () -> acl.grant(decoy));
            }
        }
        java.util.Collections.shuffle(changes.subList(0, changes.size()), r);
        // decoys first so that the real grants replace them
        List<Runnable> ordered = new ArrayList<>(changes);
        ordered.forEach(Runnable::run);
        p.grants().forEach(acl::grant);
        Policy now = acl.policy();
        AccessControl fresh = load(now, now(1_500_000));
        NaiveOracle oracle = new NaiveOracle(now);
        for (Check c : universe(p)) {
            boolean expected = oracle.allowed(c.who, c.action, c.obj, now(1_500_000));
            assertEquals(expected, fresh.isAllowed(c.who, c.action, c.obj), c.toString());
            assertEquals(expected, acl.isAllowed(c.who, c.action, c.obj), () -> c + "\n" + PolicyFile.format(now)
                    + "\nincremental: " + acl.check(c.who, c.action, c.obj).explain()
                    + "\nfresh: " + fresh.check(c.who, c.action, c.obj).explain());
        }
        assertEquals(p.grants().size(), acl.grantCount());
    }

    @Property(tries = 200)
    void roleChainsBehaveLikeTheirFlattenedRole(@ForAll @IntRange(min = 1, max = 12) int depth, @ForAll long seed) {
        Random r = new Random(seed);
        Model asset = Fixtures.asset();
        AccessControl.Builder chained = AccessControl.builder().model(Fixtures.collection()).model(asset);
        Role.Builder flat = Role.builder("flat");
        for (int i = 0; i < depth; i++) {
            Role.Builder rb = Role.builder("r" + i);
            if (i + 1 < depth) {
                rb.inherits("r" + (i + 1));
            }
            String act = asset.actions().get(r.nextInt(asset.actions().size()));
            rb.permit("Asset", act);
            flat.permit("Asset", act);
            chained.role(rb.build());
        }
        AccessControl a = chained.build();
        AccessControl b = AccessControl.builder().model(Fixtures.collection()).model(asset).role(flat.build()).build();
        a.grant(Grant.allow().to(Principal.user("u")).role("r0").on(ObjectRef.of("Asset", "1")).build());
        b.grant(Grant.allow().to(Principal.user("u")).role("flat").on(ObjectRef.of("Asset", "1")).build());
        // and membership in the head of the chain equals membership in every role of it
        a.addMember(Membership.of(Principal.user("m"), Principal.role("r0")));
        int k = r.nextInt(depth);
        a.grant(Grant.allow().to(Principal.role("r" + k)).actions("share").on(ObjectRef.of("Asset", "2")).build());
        for (String act : asset.actions()) {
            assertEquals(b.isAllowed(Principal.user("u"), act, ObjectRef.of("Asset", "1")),
                    a.isAllowed(Principal.user("u"), act, ObjectRef.of("Asset", "1")), act);
        }
        assertTrue(a.isAllowed(Principal.user("m"), "share", ObjectRef.of("Asset", "2")));
    }

    @Property(tries = 200)
    void collectionChainsBehaveLikeTheirFlattenedForm(@ForAll @IntRange(min = 1, max = 15) int depth, @ForAll long seed) {
        Random r = new Random(seed);
        AccessControl chain = Fixtures.acl().build();
        AccessControl flat = Fixtures.acl().build();
        ObjectRef asset = ObjectRef.of("Asset", "leaf");
        int blockedAt = r.nextInt(3) == 0 ? r.nextInt(depth) : -1;
        chain.putObject(ObjectNode.of(asset).withParent(ObjectRef.of("Collection", "c0")).withInheritanceBlocked(blockedAt == -2));
        for (int i = 0; i < depth; i++) {
            ObjectNode n = ObjectNode.of(ObjectRef.of("Collection", "c" + i)).withInheritanceBlocked(i == blockedAt);
            if (i + 1 < depth) {
                n = n.withParent(ObjectRef.of("Collection", "c" + (i + 1)));
            }
            chain.putObject(n);
        }
        String[] acts = {"view", "download", "stream", "edit", "delete", "share"};
        int grants = 1 + r.nextInt(2 * depth);
        for (int j = 0; j < grants; j++) {
            int level = r.nextInt(depth);
            boolean deny = r.nextInt(4) == 0;
            String act = acts[r.nextInt(acts.length)];
            Grant.Builder g = (deny ? Grant.deny() : Grant.allow()).to(Principal.user("u")).actions(act);
            chain.grant(g.onTree(ObjectRef.of("Collection", "c" + level)).build());
            // flattened: the same grant directly on the asset, if inheritance reaches that far
            boolean reaches = blockedAt < 0 || level <= blockedAt;
            if (reaches) {
                flat.grant((deny ? Grant.deny() : Grant.allow()).to(Principal.user("u")).actions(act).on(asset).build());
            }
        }
        for (String act : acts) {
            assertEquals(flat.isAllowed(Principal.user("u"), act, asset), chain.isAllowed(Principal.user("u"), act, asset),
                    () -> act + " " + chain.check(Principal.user("u"), act, asset).explain());
        }
    }

    /**
     * Objects and models crowded with grants (more than the engine scans linearly, so it switches to a
     * search by subject): many subjects, both effects, every scope, windows.
     */
    @Property(tries = 100)
    void crowdedObjectsMatchTheNaiveReading(@ForAll long seed, @ForAll @IntRange(min = 17, max = 80) int grants,
                                            @ForAll @IntRange(max = 3_500_000) int ms) {
        Random r = new Random(seed);
        Policy.Builder b = Policy.builder().model(Fixtures.collection()).model(Fixtures.asset())
                .role(Fixtures.viewer()).role(Fixtures.editor());
        b.object(ObjectNode.of(ObjectRef.of("Collection", "c")));
        b.object(ObjectNode.of(ObjectRef.of("Asset", "1")).withParent(ObjectRef.of("Collection", "c")));
        b.object(ObjectNode.of(ObjectRef.of("Asset", "2")).withParent(ObjectRef.of("Collection", "c"))
                .withOwner(Principal.user("u3")));
        List<Principal> subjects = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            subjects.add(Principal.user("u" + i));
        }
        for (int i = 0; i < 4; i++) {
            subjects.add(Principal.group("g" + i));
        }
        subjects.add(Principal.role("viewer"));
        subjects.add(Principal.role("editor"));
        for (int i = 0; i < 12; i++) {
            b.membership(Membership.of(Principal.user("u" + i), Principal.group("g" + r.nextInt(4))));
            if (r.nextInt(3) == 0) {
                b.membership(Membership.of(Principal.user("u" + i), Principal.role(r.nextBoolean() ? "viewer" : "editor")));
            }
        }
        String[] assetActions = {"view", "download", "stream", "edit", "delete", "share"};
        for (int i = 0; i < grants; i++) {
            Grant.Builder g = r.nextInt(5) == 0 ? Grant.deny() : Grant.allow();
            g.id("g" + i).to(subjects.get(r.nextInt(subjects.size())));
            if (r.nextInt(4) == 0) {
                g.role(r.nextBoolean() ? "viewer" : "editor");
            } else {
                g.actions(assetActions[r.nextInt(assetActions.length)]);
            }
            switch (r.nextInt(4)) {
                case 0 -> g.on(ObjectRef.of("Asset", "1"));
                case 1 -> g.on(ObjectRef.of("Asset", "2"));
                case 2 -> g.onTree(ObjectRef.of("Collection", "c"));
                default -> g.onModel("Asset");
            }
            if (r.nextInt(4) == 0) {
                g.notBefore(Instant.ofEpochMilli(r.nextInt(2_000_000)));
            }
            if (r.nextInt(4) == 0) {
                g.notAfter(Instant.ofEpochMilli(1_500_000L + r.nextInt(2_000_000)));
            }
            try {
                b.grant(g.build());
            } catch (IllegalArgumentException emptyWindow) {
                // notBefore after notAfter: draw the next grant
            }
        }
        Policy p = b.build();
        AccessControl acl = load(p, now(ms));
        NaiveOracle oracle = new NaiveOracle(p);
        List<Principal> who = new ArrayList<>(subjects);
        who.add(Principal.user("stranger"));
        for (Principal w : who) {
            for (String id : List.of("1", "2", "unseen")) {
                ObjectRef o = ObjectRef.of("Asset", id);
                for (String a : assetActions) {
                    boolean expected = oracle.allowed(w, a, o, now(ms));
                    assertEquals(expected, acl.isAllowed(w, a, o), () -> w + " " + a + " " + o + ": " + acl.check(w, a, o).explain());
                    assertEquals(expected, acl.check(w, a, o).allowed());
                }
            }
        }
    }
}
