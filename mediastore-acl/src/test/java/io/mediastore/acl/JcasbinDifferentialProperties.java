package io.mediastore.acl;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.casbin.jcasbin.main.Enforcer;
import org.casbin.jcasbin.model.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Differential test against jCasbin 1.81.0: random RBAC policies that both engines can express must
 * give the same answer for every (subject, object, action). Three shapes: the stock RBAC model (roles
 * with inheritance, per-object grants to roles and users), RBAC with resource roles (assets in nested
 * collections, grants on collections), and RBAC with deny (casbin's allow-and-not-deny effect).
 */
class JcasbinDifferentialProperties {
    static final String[] ACTIONS = {"view", "download", "stream", "edit", "delete", "share"};

    static final String RBAC = """
            [request_definition]
            r = sub, obj, act
            [policy_definition]
            p = sub, obj, act
            [role_definition]
            g = _, _
            [policy_effect]
            e = some(where (p.eft == allow))
            [matchers]
            m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
            """;

    static final String RESOURCE_ROLES = """
            [request_definition]
            r = sub, obj, act
            [policy_definition]
            p = sub, obj, act
            [role_definition]
            g = _, _
            g2 = _, _
            [policy_effect]
            e = some(where (p.eft == allow))
            [matchers]
            m = g(r.sub, p.sub) && g2(r.obj, p.obj) && r.act == p.act
            """;

    static final String DENY = """
            [request_definition]
            r = sub, obj, act
            [policy_definition]
            p = sub, obj, act, eft
            [role_definition]
            g = _, _
            [policy_effect]
            e = some(where (p.eft == allow)) && !some(where (p.eft == deny))
            [matchers]
            m = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act
            """;

    /** Our side: one model without implications (casbin has none), roles carrying only inheritance. */
    static AccessControl.Builder ours(int roles, Random r, Enforcer casbin) {
        AccessControl.Builder b = AccessControl.builder()
                .model(io.mediastore.acl.Model.builder("Collection").actions(ACTIONS).parent("Collection").build())
                .model(io.mediastore.acl.Model.builder("Asset").actions(ACTIONS).parent("Collection").build());
        for (int i = 0; i < roles; i++) {
            Role.Builder rb = Role.builder("r" + i);
            // inheritance only towards higher numbers: acyclic, chains up to `roles` long
            for (int j = i + 1; j < roles; j++) {
                if (r.nextInt(3) == 0) {
                    rb.inherits("r" + j);
                    casbin.addGroupingPolicy("role:r" + i, "role:r" + j);
                }
            }
            b.role(rb.build());
        }
        return b;
    }

    static Enforcer casbin(String model) {
        Model m = new Model();
        m.loadModelFromText(model);
        return new Enforcer(m);
    }

    static Principal subject(Random r, int users, int roles) {
        return roles > 0 && r.nextBoolean() ? Principal.role("r" + r.nextInt(roles)) : Principal.user("u" + r.nextInt(users));
    }

    static void compareAll(AccessControl acl, Enforcer casbin, int users, int roles, List<ObjectRef> objects) {
        List<Principal> subjects = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            subjects.add(Principal.user("u" + u));
        }
        for (int i = 0; i < roles; i++) {
            subjects.add(Principal.role("r" + i));
        }
        for (Principal s : subjects) {
            for (ObjectRef o : objects) {
                for (String a : ACTIONS) {
                    boolean expected = casbin.enforce(s.toString(), o.toString(), a);
                    assertEquals(expected, acl.isAllowed(s, a, o), () -> s + " " + a + " " + o + ": "
                            + acl.check(s, a, o).explain());
                }
            }
        }
    }

    @Property(tries = 60)
    void stockRbac(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int users, @ForAll @IntRange(max = 5) int roles,
                   @ForAll @IntRange(min = 1, max = 8) int assets, @ForAll @IntRange(max = 40) int grants) {
        Random r = new Random(seed);
        Enforcer casbin = casbin(RBAC);
        AccessControl acl = ours(roles, r, casbin).build();
        for (int u = 0; u < users && roles > 0; u++) {
            for (int k = r.nextInt(3); k > 0; k--) {
                String role = "r" + r.nextInt(roles);
                casbin.addGroupingPolicy("user:u" + u, "role:" + role);
                acl.addMember(Membership.of(Principal.user("u" + u), Principal.role(role)));
            }
        }
        List<ObjectRef> objects = new ArrayList<>();
        for (int i = 0; i < assets; i++) {
            objects.add(ObjectRef.of("Asset", String.valueOf(i)));
        }
        for (int i = 0; i < grants; i++) {
            Principal s = subject(r, users, roles);
            ObjectRef o = objects.get(r.nextInt(assets));
            String a = ACTIONS[r.nextInt(ACTIONS.length)];
            casbin.addPolicy(s.toString(), o.toString(), a);
            acl.grant(Grant.allow().to(s).actions(a).on(o).build());
        }
        compareAll(acl, casbin, users, roles, objects);
    }

    @Property(tries = 60)
    void resourceRolesAsCollectionTrees(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int users,
                                        @ForAll @IntRange(max = 4) int roles, @ForAll @IntRange(min = 1, max = 5) int collections,
                                        @ForAll @IntRange(min = 1, max = 8) int assets, @ForAll @IntRange(max = 30) int grants) {
        Random r = new Random(seed);
        Enforcer casbin = casbin(RESOURCE_ROLES);
        AccessControl acl = ours(roles, r, casbin).build();
        for (int u = 0; u < users && roles > 0; u++) {
            String role = "r" + r.nextInt(roles);
            casbin.addGroupingPolicy("user:u" + u, "role:" + role);
            acl.addMember(Membership.of(Principal.user("u" + u), Principal.role(role)));
        }
        List<ObjectRef> objects = new ArrayList<>();
        for (int c = 0; c < collections; c++) {
            ObjectRef coll = ObjectRef.of("Collection", String.valueOf(c));
            objects.add(coll);
            // collections nest: a parent with a lower number, so the tree is acyclic and shallow enough for casbin
            if (c > 0 && r.nextBoolean()) {
                ObjectRef parent = ObjectRef.of("Collection", String.valueOf(r.nextInt(c)));
                casbin.addNamedGroupingPolicy("g2", coll.toString(), parent.toString());
                acl.putObject(ObjectNode.of(coll).withParent(parent));
            }
        }
        for (int i = 0; i < assets; i++) {
            ObjectRef a = ObjectRef.of("Asset", String.valueOf(i));
            objects.add(a);
            if (r.nextInt(4) != 0) {
                ObjectRef parent = ObjectRef.of("Collection", String.valueOf(r.nextInt(collections)));
                casbin.addNamedGroupingPolicy("g2", a.toString(), parent.toString());
                acl.putObject(ObjectNode.of(a).withParent(parent));
            }
        }
        for (int i = 0; i < grants; i++) {
            Principal s = subject(r, users, roles);
            ObjectRef o = objects.get(r.nextInt(objects.size()));
            String a = ACTIONS[r.nextInt(ACTIONS.length)];
            casbin.addPolicy(s.toString(), o.toString(), a);
            // casbin's g2(r.obj, p.obj) holds for the object itself and everything below it: a tree grant
            acl.grant(Grant.allow().to(s).actions(a).onTree(o).build());
        }
        compareAll(acl, casbin, users, roles, objects);
    }

    @Property(tries = 60)
    void rbacWithDeny(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int users, @ForAll @IntRange(max = 4) int roles,
                      @ForAll @IntRange(min = 1, max = 6) int assets, @ForAll @IntRange(max = 40) int grants) {
        Random r = new Random(seed);
        Enforcer casbin = casbin(DENY);
        AccessControl acl = ours(roles, r, casbin).build();
        for (int u = 0; u < users && roles > 0; u++) {
            String role = "r" + r.nextInt(roles);
            casbin.addGroupingPolicy("user:u" + u, "role:" + role);
            acl.addMember(Membership.of(Principal.user("u" + u), Principal.role(role)));
        }
        List<ObjectRef> objects = new ArrayList<>();
        for (int i = 0; i < assets; i++) {
            objects.add(ObjectRef.of("Asset", String.valueOf(i)));
        }
        for (int i = 0; i < grants; i++) {
            Principal s = subject(r, users, roles);
            ObjectRef o = objects.get(r.nextInt(assets));
            String a = ACTIONS[r.nextInt(ACTIONS.length)];
            boolean deny = r.nextInt(3) == 0;
            casbin.addPolicy(s.toString(), o.toString(), a, deny ? "deny" : "allow");
            acl.grant((deny ? Grant.deny() : Grant.allow()).to(s).actions(a).on(o).build());
        }
        compareAll(acl, casbin, users, roles, objects);
    }
}
