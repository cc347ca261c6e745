package io.mediastore.acl;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The documented semantics written as plainly as possible, straight from a {@link Policy}, with no
 * precomputation: the reference the optimised engine is compared with.
 */
final class NaiveOracle {
    private final Policy p;
    private final Map<String, Model> models = new HashMap<>();
    private final Map<String, Role> roles = new HashMap<>();
    private final Map<ObjectRef, ObjectNode> objects = new HashMap<>();

    NaiveOracle(Policy p) {
        this.p = p;
        p.models().forEach(m -> models.put(m.name(), m));
        p.roles().forEach(r -> roles.put(r.name(), r));
        p.objects().forEach(o -> objects.put(o.ref(), o));
    }

    boolean allowed(Principal who, String action, ObjectRef obj, Instant now) {
        Model m = models.get(obj.model());
        Set<Principal> subjects = subjects(who);
        List<ObjectRef> chain = new ArrayList<>();
        ObjectRef cur = obj;
        while (true) {
            chain.add(cur);
            ObjectNode n = objects.get(cur);
            if (n == null || n.inheritanceBlocked() || n.parent().isEmpty()) {
                break;
            }
            cur = n.parent().get();
        }
        boolean allow = false;
        for (Grant g : p.grants()) {
            if (!subjects.contains(g.subject()) || !g.validAt(now)) {
                continue;
            }
            boolean applies = switch (g.scope()) {
                case MODEL -> g.model().equals(obj.model());
                case OBJECT -> g.target().orElseThrow().equals(obj);
                case TREE -> chain.contains(g.target().orElseThrow());
            };
            if (!applies) {
                continue;
            }
            Set<String> granted = new HashSet<>();
            if (g.role().isPresent()) {
                for (String r : roleAncestors(g.role().get())) {
                    granted.addAll(roles.get(r).permissions().getOrDefault(m.name(), Set.of()));
                }
            } else {
                for (String a : g.actions()) {
                    if (m.actions().contains(a)) {
                        granted.add(a);
                    }
                }
            }
            if (g.effect() == Grant.Effect.DENY) {
                // denying an action denies every action that implies it
                for (String d : implied(m, Set.of(action))) {
                    if (granted.contains(d)) {
                        return false;
                    }
                }
            } else if (implied(m, granted).contains(action)) {
                allow = true;
            }
        }
        ObjectNode n = objects.get(obj);
        if (n != null && n.owner().isPresent() && subjects.contains(n.owner().get())
                && implied(m, m.ownerActions()).contains(action)) {
            allow = true;
        }
        return allow;
    }

    static Set<String> implied(Model m, Set<String> actions) {
        Set<String> out = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(actions);
        while (!todo.isEmpty()) {
            String a = todo.pop();
            if (out.add(a)) {
                todo.addAll(m.implications().getOrDefault(a, Set.of()));
            }
        }
        return out;
    }

    Set<String> roleAncestors(String role) {
        Set<String> out = new HashSet<>();
        ArrayDeque<String> todo = new ArrayDeque<>(List.of(role));
        while (!todo.isEmpty()) {
            String r = todo.pop();
            if (out.add(r)) {
                todo.addAll(roles.get(r).inherits());
            }
        }
        return out;
    }

    Set<Principal> subjects(Principal who) {
        Set<Principal> out = new HashSet<>();
        ArrayDeque<Principal> todo = new ArrayDeque<>(List.of(who));
        while (!todo.isEmpty()) {
            Principal q = todo.pop();
            if (!out.add(q)) {
                continue;
            }
            if (q.kind() == Principal.Kind.ROLE) {
                if (roles.containsKey(q.id())) {
                    roleAncestors(q.id()).forEach(r -> todo.add(Principal.role(r)));
                }
            } else {
                for (Membership m : p.memberships()) {
                    if (m.member().equals(q)) {
                        todo.add(m.parent());
                    }
                }
            }
        }
        return out;
    }
}
