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
 * ancestor, or on the whole model), the membership path from the principal to the grant's subject,
 * or the owner rule. For audit and for "why can't I see this?".
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
        return b.toString();
    }

    @Override
    public String toString() {
        return "Decision[" + explain() + "]";
    }
}
