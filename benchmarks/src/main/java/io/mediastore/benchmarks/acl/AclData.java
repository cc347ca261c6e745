package io.mediastore.benchmarks.acl;

import io.mediastore.acl.AccessControl;
import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.Model;
import io.mediastore.acl.ObjectNode;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Policy;
import io.mediastore.acl.Principal;
import io.mediastore.acl.Role;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The "media ACL" data set of shared/anchors/jcasbin, generated deterministically (java.util.Random,
 * seed 42, same draw order as the anchor's generator): USERS users with 2 distinct roles each out of
 * 100 roles, GRANTS distinct (role, asset, action) object grants over GRANTS/2 assets, requests built
 * from real grants (allow set) and random triples (mostly deny).
 *
 * <p>On top, the same for both engines (so both resolve it): roles 0..49 inherit roles 50..99
 * (casbin {@code g role:i role:i+50}), and assets sit in 1,000 collections (seed 43) carrying 3,000
 * (role, collection, action) tree grants, which the jCasbin resource-roles model expresses as g2 lines.
 */
final class AclData {
    static final String[] ACTIONS = {"view", "download", "stream", "edit", "delete", "share"};
    static final int ROLES = 100;
    static final int COLLECTIONS = 1_000;
    static final int COLLECTION_GRANTS = 3_000;

    final int users;
    final int grants;
    final int assets;
    final List<String[]> g = new ArrayList<>();
    final List<String[]> roleG = new ArrayList<>();
    final List<String[]> p = new ArrayList<>();
    final List<String[]> g2 = new ArrayList<>();
    final List<String[]> pColl = new ArrayList<>();
    final List<String[]> allow = new ArrayList<>();
    final List<String[]> random = new ArrayList<>();
    final List<String[]> allowViaCollection = new ArrayList<>();

    AclData(int users, int grants, int requests) {
        this.users = users;
        this.grants = grants;
        this.assets = Math.max(1, grants / 2);
        Random rnd = new Random(42);
        List<List<Integer>> userRoles = new ArrayList<>();
        for (int u = 0; u < users; u++) {
            Set<Integer> rs = new HashSet<>();
            while (rs.size() < 2) {
                rs.add(rnd.nextInt(ROLES));
            }
            userRoles.add(new ArrayList<>(rs));
            for (int r : rs) {
                g.add(new String[] {"user:" + u, "role:role-" + r});
            }
        }
        Set<String> seen = new HashSet<>();
        List<List<String[]>> byRole = new ArrayList<>();
        for (int r = 0; r < ROLES; r++) {
            byRole.add(new ArrayList<>());
        }
        while (p.size() < grants) {
            int r = rnd.nextInt(ROLES);
            int a = rnd.nextInt(assets);
            String act = ACTIONS[rnd.nextInt(ACTIONS.length)];
            if (!seen.add(r + "|" + a + "|" + act)) {
                continue;
            }
            String[] line = {"role:role-" + r, "Asset:" + a, act};
            p.add(line);
            byRole.get(r).add(line);
        }
        for (int i = 0; i < requests; i++) {
            int u = rnd.nextInt(users);
            List<Integer> rs = userRoles.get(u);
            List<String[]> gr = byRole.get(rs.get(rnd.nextInt(rs.size())));
            String[] gl = gr.get(rnd.nextInt(gr.size()));
            allow.add(new String[] {"user:" + u, gl[1], gl[2]});
            random.add(new String[] {"user:" + rnd.nextInt(users), "Asset:" + rnd.nextInt(assets),
                    ACTIONS[rnd.nextInt(ACTIONS.length)]});
        }
        for (int r = 0; r < ROLES / 2; r++) {
            roleG.add(new String[] {"role:role-" + r, "role:role-" + (r + ROLES / 2)});
        }
        Random rc = new Random(43);
        int[] assetColl = new int[assets];
        List<List<Integer>> collAssets = new ArrayList<>();
        for (int c = 0; c < COLLECTIONS; c++) {
            collAssets.add(new ArrayList<>());
        }
        for (int a = 0; a < assets; a++) {
            assetColl[a] = rc.nextInt(COLLECTIONS);
            collAssets.get(assetColl[a]).add(a);
            g2.add(new String[] {"Asset:" + a, "Collection:" + assetColl[a]});
        }
        Set<String> seenC = new HashSet<>();
        while (pColl.size() < COLLECTION_GRANTS) {
            int r = rc.nextInt(ROLES);
            int c = rc.nextInt(COLLECTIONS);
            String act = ACTIONS[rc.nextInt(ACTIONS.length)];
            if (collAssets.get(c).isEmpty() || !seenC.add(r + "|" + c + "|" + act)) {
                continue;
            }
            pColl.add(new String[] {"role:role-" + r, "Collection:" + c, act});
        }
        // requests allowed only through a collection grant and, for users holding a role that inherits
        // the granted one, through role inheritance as well
        while (allowViaCollection.size() < requests) {
            String[] pl = pColl.get(rc.nextInt(pColl.size()));
            int role = Integer.parseInt(pl[0].substring("role:role-".length()));
            int holder = role >= ROLES / 2 && rc.nextBoolean() ? role - ROLES / 2 : role;
            int u = -1;
            for (int tries = 0; tries < 200 && u < 0; tries++) {
                int cand = rc.nextInt(users);
                if (userRoles.get(cand).contains(holder)) {
                    u = cand;
                }
            }
            if (u < 0) {
                continue;
            }
            List<Integer> as = collAssets.get(Integer.parseInt(pl[1].substring("Collection:".length())));
            allowViaCollection.add(new String[] {"user:" + u, "Asset:" + as.get(rc.nextInt(as.size())), pl[2]});
        }
    }

    /** Our policy: the same facts as the casbin CSVs. */
    Policy policy() {
        Policy.Builder b = Policy.builder()
                .model(Model.builder("Collection").actions(ACTIONS).parent("Collection").build())
                .model(Model.builder("Asset").actions(ACTIONS).parent("Collection").build());
        for (int r = 0; r < ROLES; r++) {
            Role.Builder rb = Role.builder("role-" + r);
            if (r < ROLES / 2) {
                rb.inherits("role-" + (r + ROLES / 2));
            }
            b.role(rb.build());
        }
        for (String[] l : g) {
            b.membership(Membership.of(Principal.parse(l[0]), Principal.parse(l[1])));
        }
        for (String[] l : g2) {
            b.object(ObjectNode.of(ref(l[0])).withParent(ref(l[1])));
        }
        int i = 0;
        for (String[] l : p) {
            b.grant(Grant.allow().id("p" + i++).to(Principal.parse(l[0])).actions(l[2]).on(ref(l[1])).build());
        }
        for (String[] l : pColl) {
            b.grant(Grant.allow().id("p" + i++).to(Principal.parse(l[0])).actions(l[2]).onTree(ref(l[1])).build());
        }
        return b.build();
    }

    AccessControl accessControl() {
        return AccessControl.builder().policy(policy()).build();
    }

    static ObjectRef ref(String s) {
        int c = s.indexOf(':');
        return ObjectRef.of(s.substring(0, c), s.substring(c + 1));
    }

    /** Requests as our engine takes them. */
    static Object[][] ours(List<String[]> reqs) {
        Object[][] out = new Object[reqs.size()][];
        for (int i = 0; i < out.length; i++) {
            String[] r = reqs.get(i);
            out[i] = new Object[] {Principal.parse(r[0]), r[2], ref(r[1])};
        }
        return out;
    }

    static final String RBAC = "[request_definition]\nr = sub, obj, act\n[policy_definition]\np = sub, obj, act\n"
            + "[role_definition]\ng = _, _\n[policy_effect]\ne = some(where (p.eft == allow))\n"
            + "[matchers]\nm = g(r.sub, p.sub) && r.obj == p.obj && r.act == p.act\n";
    static final String RESOURCE_ROLES = "[request_definition]\nr = sub, obj, act\n[policy_definition]\np = sub, obj, act\n"
            + "[role_definition]\ng = _, _\ng2 = _, _\n[policy_effect]\ne = some(where (p.eft == allow))\n"
            + "[matchers]\nm = g(r.sub, p.sub) && g2(r.obj, p.obj) && r.act == p.act\n";

    /** Writes the casbin model and policy CSV into dir: flat RBAC (p on assets) or resource roles (p on collections, g2). */
    Path[] casbinFiles(Path dir, boolean resourceRoles) throws IOException {
        Path model = dir.resolve(resourceRoles ? "rr_model.conf" : "rbac_model.conf");
        Files.writeString(model, resourceRoles ? RESOURCE_ROLES : RBAC);
        Path csv = dir.resolve(resourceRoles ? "rr_policy.csv" : "rbac_policy.csv");
        try (BufferedWriter w = Files.newBufferedWriter(csv)) {
            for (String[] l : resourceRoles ? pColl : p) {
                w.write("p, " + String.join(", ", l) + "\n");
            }
            for (String[] l : g) {
                w.write("g, " + String.join(", ", l) + "\n");
            }
            for (String[] l : roleG) {
                w.write("g, " + String.join(", ", l) + "\n");
            }
            if (resourceRoles) {
                for (String[] l : g2) {
                    w.write("g2, " + String.join(", ", l) + "\n");
                }
            }
        }
        return new Path[] {model, csv};
    }
}
