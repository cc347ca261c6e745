package io.mediastore.acl;

import io.mediastore.acl.internal.CompiledSchema;
import io.mediastore.acl.internal.Snapshot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer to a check, with what decided it: the grant (and where it sits: on the object, on an
 * ancestor, or on the whole model, see {@link #inheritancePath()}), the membership path from the
 * principal to the grant's subject ({@link #membershipPath()}), the role step that carried the
 * permission ({@link #rolePath()}), the implication used ({@link #impliedBy()}), or the owner rule;
 * for a denial, also where inheritance was blocked ({@link #inheritanceBlockedAt()}). For audit and
 * for "why can't I see this?"; {@link #explain()} says it in one line.
 */
public final class Decision {

    /** What decided. */
    public enum Reason {
        /** An allow grant applies and no deny does. */
        ALLOWED_BY_GRANT,
        /** The principal owns the object and the model's owner rule covers the action; no deny applies. */
        ALLOWED_AS_OWNER,
        /** A deny grant applies (a deny always wins). */
        DENIED_BY_GRANT,
        /** Nothing allows it (the default is deny). */
        NO_MATCHING_GRANT
    }

    private final Principal principal;
    private final String action;
    private final ObjectRef resource;
    private final Reason reason;
    private final Grant grant;
    private final Principal matched;
    private final int resourceId;
    private final int atId;
    private final Snapshot snapshot;

    Decision(Principal principal, String action, ObjectRef resource, Reason reason, Grant grant, Principal matched,
             int resourceId, int atId, Snapshot snapshot) {
        this.principal = principal;
        this.action = action;
        this.resource = resource;
        this.reason = reason;
        this.grant = grant;
        this.matched = matched;
        this.resourceId = resourceId;
        this.atId = atId;
        this.snapshot = snapshot;
    }

    public boolean allowed() {
        return reason == Reason.ALLOWED_BY_GRANT || reason == Reason.ALLOWED_AS_OWNER;
    }

    public Reason reason() {
        return reason;
    }

    public Principal principal() {
        return principal;
    }

    public String action() {
        return action;
    }

    public ObjectRef resource() {
        return resource;
    }

    /** The deciding grant, for {@link Reason#ALLOWED_BY_GRANT} and {@link Reason#DENIED_BY_GRANT}. */
    public Optional<Grant> grant() {
        return Optional.ofNullable(grant);
    }

    /** The policy version the decision was taken on. */
    public long policyVersion() {
        return snapshot.version;
    }

    /**
     * The inheritance steps from the resource to the object holding the deciding grant: just the
     * resource for a grant on it (or on the whole model, or the owner rule); empty when nothing decided.
     */
    public List<ObjectRef> inheritancePath() {
        if (reason == Reason.NO_MATCHING_GRANT) {
            return List.of();
        }
        List<ObjectRef> path = new ArrayList<>();
        path.add(resource);
        if (atId >= 0 && resourceId >= 0) {
            for (int c = resourceId; c != atId && c >= 0; c = snapshot.parentOf(c)) {
                int p = snapshot.parentOf(c);
                if (p >= 0) {
                    path.add(snapshot.objects.key(p));
                }
            }
        }
        return Collections.unmodifiableList(path);
    }

    /**
     * How the principal reaches the deciding grant's subject (or the owner): the principal first, then
     * each group or role on the way. Empty when nothing decided.
     */
    public List<Principal> membershipPath() {
        if (matched == null) {
            return List.of();
        }
        // breadth-first over direct memberships and role inheritance: the shortest explanation
        Map<Principal, Principal> from = new HashMap<>();
        ArrayDeque<Principal> todo = new ArrayDeque<>();
        todo.add(principal);
        from.put(principal, principal);
        while (!todo.isEmpty()) {
            Principal q = todo.poll();
            if (q.equals(matched)) {
                List<Principal> path = new ArrayList<>();
                for (Principal c = q; ; c = from.get(c)) {
                    path.add(0, c);
                    if (c.equals(principal)) {
                        break;
                    }
                }
                return Collections.unmodifiableList(path);
            }
            List<Principal> next = new ArrayList<>();
            if (q.kind() == Principal.Kind.ROLE) {
                CompiledSchema.RoleInfo ri = snapshot.schema.roleInfos.get(q.id());
                if (ri != null) {
                    for (String a : ri.role.inherits()) {
                        next.add(Principal.role(a));
                    }
                }
            } else {
                Principal[] ps = snapshot.memberOf.get(q);
                if (ps != null) {
                    next.addAll(List.of(ps));
                }
            }
            for (Principal n : next) {
                if (from.putIfAbsent(n, q) == null) {
                    todo.add(n);
                }
            }
        }
        return List.of(principal, matched);
    }

    /**
     * For a grant that carries a role: the role chain from the granted role to the role whose own
     * permission decided (just the granted role when it lists the permission itself); otherwise empty.
     * For example {@code [editor, viewer]} when {@code editor} inherits {@code viewer} and only
     * {@code viewer} permits {@code download}.
     */
    public List<String> rolePath() {
        if (grant == null || grant.role().isEmpty()) {
            return List.of();
        }
        CompiledSchema.ModelInfo m = snapshot.schema.model(resource.model());
        long want = m.bit(action);
        boolean deny = reason == Reason.DENIED_BY_GRANT;
        // breadth-first over inheritance: the shortest chain to a role whose listed permission decides
        Map<String, String> from = new HashMap<>();
        ArrayDeque<String> todo = new ArrayDeque<>();
        String start = grant.role().get();
        from.put(start, start);
        todo.add(start);
        while (!todo.isEmpty()) {
            String r = todo.poll();
            CompiledSchema.RoleInfo ri = snapshot.schema.roleInfos.get(r);
            if (ri == null) {
                break;
            }
            long listed = listed(m, ri.role.permissions().get(m.name()));
            if (((deny ? m.denyClose(listed) : m.close(listed)) & want) != 0) {
                List<String> path = new ArrayList<>();
                for (String c = r; ; c = from.get(c)) {
                    path.add(0, c);
                    if (c.equals(start)) {
                        break;
                    }
                }
                return Collections.unmodifiableList(path);
            }
            for (String parent : ri.role.inherits()) {
                if (from.putIfAbsent(parent, r) == null) {
                    todo.add(parent);
                }
            }
        }
        return List.of(start);
    }

    private static long listed(CompiledSchema.ModelInfo m, java.util.Set<String> actions) {
        long mask = 0;
        if (actions != null) {
            for (String a : actions) {
                Integer b = m.bits.get(a);
                if (b != null) {
                    mask |= 1L << b;
                }
            }
        }
        return mask;
    }

    /**
     * The listed action that decided when it is not the asked action itself: for an allow, the granted
     * (or role-permitted) action that implies it ({@code edit} for a {@code view} check when edit implies
     * view); for a deny, the denied action it implies. Empty otherwise.
     */
    public Optional<String> impliedBy() {
        if (grant == null) {
            return Optional.empty();
        }
        CompiledSchema.ModelInfo m = snapshot.schema.model(resource.model());
        long want = m.bit(action);
        java.util.Set<String> listed;
        if (grant.role().isPresent()) {
            List<String> rp = rolePath();
            CompiledSchema.RoleInfo ri = snapshot.schema.roleInfos.get(rp.get(rp.size() - 1));
            listed = ri == null ? java.util.Set.of() : ri.role.permissions().getOrDefault(m.name(), java.util.Set.of());
        } else {
            listed = grant.actions();
        }
        if (listed.contains(action)) {
            return Optional.empty();
        }
        boolean deny = reason == Reason.DENIED_BY_GRANT;
        for (String a : listed) {
            Integer b = m.bits.get(a);
            if (b == null) {
                continue;
            }
            long bit = 1L << b;
            if (((deny ? m.denyClose(bit) : m.close(bit)) & want) != 0) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * Where inheritance stopped on the way up from the resource: the nearest object (the resource or an
     * ancestor) that blocks inheritance from its parent, so that grants on objects above it do not
     * apply. Empty when nothing on the way blocks, or the policy does not know the resource.
     */
    public Optional<ObjectRef> inheritanceBlockedAt() {
        if (resourceId < 0) {
            return Optional.empty();
        }
        int c = resourceId;
        for (int steps = 0; c >= 0 && steps <= snapshot.objectCount; steps++) {
            if (snapshot.blocksInheritance(c)) {
                return snapshot.parentOf(c) >= 0 ? Optional.of(snapshot.objects.key(c)) : Optional.empty();
            }
            c = snapshot.parentOf(c);
        }
        return Optional.empty();
    }

    /** A one-paragraph human-readable explanation. */
    public String explain() {
        StringBuilder b = new StringBuilder();
        b.append(principal).append(allowed() ? " may " : " may not ").append(action).append(' ').append(resource).append(": ");
        switch (reason) {
            case NO_MATCHING_GRANT -> b.append("no grant allows it");
            case ALLOWED_AS_OWNER -> b.append("owner rule of model ").append(resource.model());
            case ALLOWED_BY_GRANT, DENIED_BY_GRANT -> b.append(reason == Reason.DENIED_BY_GRANT ? "denied by " : "allowed by ")
                    .append(grant);
        }
        List<String> roles = rolePath();
        if (roles.size() > 1) {
            b.append("; role ").append(String.join(" -> ", roles));
        }
        impliedBy().ifPresent(a -> {
            if (reason == Reason.DENIED_BY_GRANT) {
                b.append("; ").append(action).append(" implies ").append(a);
            } else {
                b.append("; ").append(a).append(" implies ").append(action);
            }
        });
        List<Principal> via = membershipPath();
        if (via.size() > 1) {
            b.append("; membership ");
            for (int i = 0; i < via.size(); i++) {
                b.append(i == 0 ? "" : " -> ").append(via.get(i));
            }
        }
        List<ObjectRef> inh = inheritancePath();
        if (inh.size() > 1) {
            b.append("; inherited ");
            for (int i = 0; i < inh.size(); i++) {
                b.append(i == 0 ? "" : " -> ").append(inh.get(i));
            }
        }
        if (!allowed()) {
            inheritanceBlockedAt().ifPresent(o -> b.append("; inheritance blocked at ").append(o));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "Decision[" + explain() + "]";
    }
}
