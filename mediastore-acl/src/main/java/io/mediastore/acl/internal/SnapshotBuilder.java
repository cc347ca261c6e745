package io.mediastore.acl.internal;

import io.mediastore.acl.AclException;
import io.mediastore.acl.AclException.Reason;
import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.ObjectNode;
import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Produces the next {@link Snapshot}: either from scratch (bulk load) or from the previous one, copying
 * only the tables a change touches (copy-on-write). Not thread-safe; used under the writer's lock.
 */
public final class SnapshotBuilder {
    private final CompiledSchema schema;
    private final Interner<Principal> principals;
    private final Interner<ObjectRef> objects;
    private int[][] subjects;
    private Map<Principal, Principal[]> memberOf;
    /** Per object, two ints: parent id (or -1), and (owner id + 1) << 1 | inheritance-blocked bit. */
    private int[] nodes;
    private long[][] hot;
    private Entry[][] cold;
    private long[][] modelHot;
    private Entry[][] modelCold;
    private int grantCount;
    private boolean ownObjects;
    private boolean ownGrants;
    private boolean ownModelGrants;
    private boolean membershipsChanged;
    private Map<Principal, List<Principal>> memberEdits;
    private final int basePrincipalCount;

    /** An empty policy over {@code schema}. */
    public SnapshotBuilder(CompiledSchema schema) {
        this.schema = schema;
        this.principals = new Interner<>(p -> p.kind().ordinal(), Principal::id);
        this.objects = new Interner<>(r -> schema.modelIndex(r.model()), ObjectRef::id);
        for (String r : schema.roleInfos.keySet().stream().sorted().toList()) {
            principals.intern(schema.roleInfos.get(r).principal);
        }
        this.subjects = new int[0][];
        this.memberOf = Map.of();
        this.nodes = new int[0];
        this.hot = new long[0][];
        this.cold = new Entry[0][];
        this.modelHot = new long[schema.modelInfos.length][];
        this.modelCold = new Entry[schema.modelInfos.length][];
        this.ownObjects = this.ownGrants = this.ownModelGrants = true;
        this.membershipsChanged = true;
        this.basePrincipalCount = 0;
    }

    /** The next state after {@code base}: tables are shared until changed. */
    public SnapshotBuilder(Snapshot base) {
        this.schema = base.schema;
        this.principals = base.principals;
        this.objects = base.objects;
        this.subjects = base.subjects;
        this.memberOf = base.memberOf;
        this.nodes = base.nodes;
        this.hot = base.hot;
        this.cold = base.cold;
        this.modelHot = base.modelHot;
        this.modelCold = base.modelCold;
        this.grantCount = base.grantCount;
        this.basePrincipalCount = base.principalCount;
    }

    public CompiledSchema schema() {
        return schema;
    }

    // ---- objects ----

    private int object(ObjectRef ref) {
        int id = objects.find(ref);
        if (id < 0) {
            // keep one instance per object, naming its model with the schema's own string
            String model = schema.model(ref.model()).name();
            id = objects.intern(ref.model() == model ? ref : new ObjectRef(model, ref.id()));
        }
        growObjects(id + 1);
        return id;
    }

    /**
     * Canonical instances: grants, memberships and nodes handed to the store and kept in snapshots
     * share one Principal and one ObjectRef (with its strings) per principal and object, instead of a
     * copy per grant; at a million grants that is a third of the heap.
     */
    private Principal canonical(Principal p) {
        return principals.key(principals.intern(p));
    }

    private ObjectRef canonical(ObjectRef r) {
        return objects.key(object(r));
    }

    private Grant canonical(Grant g) {
        Principal cs = canonical(g.subject());
        String model = schema.model(g.model()).name();
        ObjectRef target = g.target().map(this::canonical).orElse(null);
        if (cs == g.subject() && model == g.model() && (target == null || target.id() == g.target().get().id())) {
            return g;
        }
        Grant.Builder b = g.toBuilder().to(cs);
        switch (g.scope()) {
            case OBJECT -> b.on(target);
            case TREE -> b.onTree(target);
            case MODEL -> b.onModel(model);
        }
        return b.build();
    }

    /** Makes every object table hold at least {@code n} ids (new slots: no parent, no owner, no grants). */
    private void growObjects(int n) {
        int capacity = nodes.length / 2;
        if (capacity < n) {
            int cap = Math.max(n, capacity + (capacity >> 1) + 16);
            nodes = Arrays.copyOf(nodes, 2 * cap);
            for (int i = capacity; i < cap; i++) {
                nodes[2 * i] = -1;
            }
            ownObjects = true;
            capacity = cap;
        }
        if (hot.length < capacity) {
            hot = Arrays.copyOf(hot, capacity);
            cold = Arrays.copyOf(cold, capacity);
            ownGrants = true;
        }
    }

    private void mutateObjects() {
        if (!ownObjects) {
            nodes = nodes.clone();
            ownObjects = true;
        }
    }

    private void mutateGrants() {
        if (!ownGrants) {
            hot = hot.clone();
            cold = cold.clone();
            ownGrants = true;
        }
    }

    private void mutateModelGrants() {
        if (!ownModelGrants) {
            modelHot = modelHot.clone();
            modelCold = modelCold.clone();
            ownModelGrants = true;
        }
    }

    /** Sets an object's parent, owner and inheritance flag; refuses unknown models, wrong parent models and cycles. */
    public ObjectNode putObject(ObjectNode node) {
        CompiledSchema.ModelInfo m = schema.model(node.ref().model());
        int p = -1;
        if (node.parent().isPresent()) {
            ObjectRef pr = node.parent().get();
            CompiledSchema.ModelInfo pm = schema.model(pr.model());
            if (m.parent != pm.index) {
                throw new AclException(Reason.INVALID_POLICY, "model " + m.name() + " objects cannot have a parent of model "
                        + pm.name() + (m.parent >= 0 ? " (its parent model is " + schema.modelInfos[m.parent].name() + ")" : ""));
            }
            int self = objects.find(node.ref());
            int cand = objects.find(pr);
            // walking up from the new parent must never reach the object itself
            for (int c = cand; c >= 0 && 2 * c < nodes.length; c = nodes[2 * c]) {
                if (c == self) {
                    throw new AclException(Reason.INVALID_POLICY, "parent " + pr + " would make a cycle through " + node.ref());
                }
            }
            p = object(pr);
        }
        int o = object(node.ref());
        mutateObjects();
        nodes[2 * o] = p;
        nodes[2 * o + 1] = (node.owner().map(principals::intern).orElse(-1) + 1) << 1 | (node.inheritanceBlocked() ? 1 : 0);
        ObjectNode c = ObjectNode.of(objects.key(o)).withInheritanceBlocked(node.inheritanceBlocked());
        if (p >= 0) {
            c = c.withParent(objects.key(p));
        }
        if (node.owner().isPresent()) {
            c = c.withOwner(canonical(node.owner().get()));
        }
        return c;
    }

    public void removeObject(ObjectRef ref) {
        int o = objects.find(ref);
        if (o < 0 || 2 * o >= nodes.length) {
            return;
        }
        mutateObjects();
        nodes[2 * o] = -1;
        nodes[2 * o + 1] = 0;
    }

    // ---- grants ----

    /**
     * Adds a grant (the caller removes an older grant with the same id first). Validates models,
     * actions and roles. Returns the equal grant built from canonical instances, to be stored.
     */
    public Grant addGrant(Grant given) {
        int maskId = schema.maskId(given);
        Grant g = canonical(given);
        Principal subject = g.subject();
        if (subject.kind() == Principal.Kind.ROLE) {
            schema.role(subject.id());
        }
        Entry e = new Entry(principals.intern(subject), maskId, g);
        if (g.scope() == Grant.Scope.MODEL) {
            int mi = schema.model(g.model()).index;
            mutateModelGrants();
            int i = insertAt(modelHot[mi], e.hot);
            modelHot[mi] = insert(modelHot[mi], i, e.hot);
            modelCold[mi] = insert(modelCold[mi], i, e);
        } else {
            int o = object(g.target().orElseThrow());
            mutateGrants();
            int i = insertAt(hot[o], e.hot);
            hot[o] = insert(hot[o], i, e.hot);
            cold[o] = insert(cold[o], i, e);
        }
        grantCount++;
        return g;
    }

    /** Removes the grant equal to {@code g}; returns whether it was present. */
    public boolean removeGrant(Grant g) {
        if (g.scope() == Grant.Scope.MODEL) {
            int mi = schema.model(g.model()).index;
            int i = indexOf(modelCold[mi], g);
            if (i < 0) {
                return false;
            }
            mutateModelGrants();
            modelHot[mi] = remove(modelHot[mi], i);
            modelCold[mi] = remove(modelCold[mi], i);
        } else {
            int o = objects.find(g.target().orElseThrow());
            if (o < 0 || o >= cold.length) {
                return false;
            }
            int i = indexOf(cold[o], g);
            if (i < 0) {
                return false;
            }
            mutateGrants();
            hot[o] = remove(hot[o], i);
            cold[o] = remove(cold[o], i);
        }
        grantCount--;
        return true;
    }

    /** Where a new entry goes: after every entry with a subject not above its own (entries stay sorted by subject). */
    private static int insertAt(long[] es, long e) {
        if (es == null) {
            return 0;
        }
        int i = es.length;
        while (i > 0 && (int) es[i - 1] > (int) e) {
            i--;
        }
        return i;
    }

    private static long[] insert(long[] es, int i, long e) {
        if (es == null) {
            return new long[] {e};
        }
        long[] n = new long[es.length + 1];
        System.arraycopy(es, 0, n, 0, i);
        n[i] = e;
        System.arraycopy(es, i, n, i + 1, es.length - i);
        return n;
    }

    private static Entry[] insert(Entry[] es, int i, Entry e) {
        if (es == null) {
            return new Entry[] {e};
        }
        Entry[] n = new Entry[es.length + 1];
        System.arraycopy(es, 0, n, 0, i);
        n[i] = e;
        System.arraycopy(es, i, n, i + 1, es.length - i);
        return n;
    }

    private static int indexOf(Entry[] es, Grant g) {
        if (es != null) {
            for (int i = 0; i < es.length; i++) {
                if (es[i].grant.id().equals(g.id())) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static long[] remove(long[] es, int i) {
        if (es.length == 1) {
            return null;
        }
        long[] n = new long[es.length - 1];
        System.arraycopy(es, 0, n, 0, i);
        System.arraycopy(es, i + 1, n, i, es.length - i - 1);
        return n;
    }

    private static Entry[] remove(Entry[] es, int i) {
        if (es.length == 1) {
            return null;
        }
        Entry[] n = new Entry[es.length - 1];
        System.arraycopy(es, 0, n, 0, i);
        System.arraycopy(es, i + 1, n, i, es.length - i - 1);
        return n;
    }

    // ---- memberships ----

    /** Adds a membership; returns the equal membership built from canonical instances. */
    public Membership addMembership(Membership given) {
        if (given.parent().kind() == Principal.Kind.ROLE) {
            schema.role(given.parent().id());
        }
        Principal cm = canonical(given.member());
        Principal cp = canonical(given.parent());
        Membership m = cm == given.member() && cp == given.parent() ? given : Membership.of(cm, cp);
        edits();
        List<Principal> l = memberEdits.computeIfAbsent(m.member(), k -> new ArrayList<>());
        if (!l.contains(m.parent())) {
            l.add(m.parent());
        }
        return m;
    }

    public void removeMembership(Membership m) {
        edits();
        List<Principal> l = memberEdits.get(m.member());
        if (l != null) {
            l.remove(m.parent());
            if (l.isEmpty()) {
                memberEdits.remove(m.member());
            }
        }
    }

    private void edits() {
        if (memberEdits == null) {
            memberEdits = new HashMap<>();
            memberOf.forEach((k, v) -> memberEdits.put(k, new ArrayList<>(List.of(v))));
        }
        membershipsChanged = true;
    }

    // ---- build ----

    public Snapshot build(long version) {
        int pc = principals.size();
        if (membershipsChanged) {
            if (memberEdits != null) {
                Map<Principal, Principal[]> mo = new HashMap<>();
                memberEdits.forEach((k, v) -> mo.put(k, v.toArray(new Principal[0])));
                memberOf = Map.copyOf(mo);
            }
            subjects = closeSubjects(pc);
        } else if (subjects.length < pc) {
            // principals first seen in a grant or as an owner have no memberships: null means "itself"
            subjects = Arrays.copyOf(subjects, pc + (pc >> 1) + 16);
        }
        // principals new since the base snapshot: slots no published snapshot reads, so no copy needed
        for (int id = basePrincipalCount; id < pc; id++) {
            if (subjects[id] == null) {
                subjects[id] = new int[] {id};
            }
        }
        int oc = objects.size();
        growObjects(oc);
        Snapshot s = new Snapshot(version, schema, principals, objects, pc, oc, subjects, memberOf, nodes,
                hot, cold, modelHot, modelCold, grantCount);
        // the next change on this builder must not write into the published tables
        ownObjects = ownGrants = ownModelGrants = false;
        membershipsChanged = false;
        memberEdits = null;
        return s;
    }

    /** Per principal: itself, its groups and roles transitively, and the ancestors of each role. */
    private int[][] closeSubjects(int pc) {
        int[][] out = new int[pc + 16][];
        for (int id = 0; id < pc; id++) {
            Principal p = principals.key(id);
            if (!memberOf.containsKey(p) && p.kind() != Principal.Kind.ROLE) {
                out[id] = new int[] {id};
                continue;
            }
            TreeSet<Integer> set = new TreeSet<>();
            ArrayDeque<Principal> todo = new ArrayDeque<>();
            todo.add(p);
            while (!todo.isEmpty()) {
                Principal q = todo.pop();
                int qi = principals.intern(q);
                if (!set.add(qi)) {
                    continue;
                }
                if (q.kind() == Principal.Kind.ROLE) {
                    CompiledSchema.RoleInfo ri = schema.roleInfos.get(q.id());
                    if (ri != null) {
                        // ancestors are closed already: adding them without expanding each again keeps
                        // this linear in the closure (a chain of roles would otherwise cost its cube)
                        for (String a : ri.ancestors) {
                            set.add(principals.intern(schema.roleInfos.get(a).principal));
                        }
                    }
                } else {
                    Principal[] ps = memberOf.get(q);
                    if (ps != null) {
                        todo.addAll(List.of(ps));
                    }
                }
            }
            int[] a = new int[set.size()];
            int i = 0;
            for (int v : set) {
                a[i++] = v;
            }
            out[id] = a;
        }
        return out;
    }
}
