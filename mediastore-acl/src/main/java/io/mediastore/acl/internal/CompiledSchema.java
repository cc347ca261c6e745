package io.mediastore.acl.internal;

import io.mediastore.acl.AclException;
import io.mediastore.acl.AclException.Reason;
import io.mediastore.acl.Grant;
import io.mediastore.acl.Model;
import io.mediastore.acl.Role;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Models and roles interned to ints: each model's actions are bits of a {@code long}, implications are
 * closed per action, each role's permissions are closed over inheritance into one bitset per model.
 * Immutable.
 */
public final class CompiledSchema {

    /** One model, compiled. */
    public static final class ModelInfo {
        public final Model model;
        public final int index;
        public final Map<String, Integer> bits;
        /** Action names by bit: the common caller passes the same (interned) string, found by identity. */
        private final String[] names;
        /** Per bit: the bit and everything it implies, transitively. */
        final long[] closure;
        public final long ownerMask;
        /** Index of the parent model, or -1. */
        public final int parent;

        ModelInfo(Model model, int index, int parent) {
            this.model = model;
            this.index = index;
            this.parent = parent;
            List<String> actions = model.actions();
            Map<String, Integer> b = new HashMap<>();
            for (int i = 0; i < actions.size(); i++) {
                b.put(actions.get(i), i);
            }
            this.bits = Map.copyOf(b);
            this.names = actions.toArray(new String[0]);
            this.closure = new long[actions.size()];
            for (int i = 0; i < actions.size(); i++) {
                long m = 0;
                ArrayDeque<String> todo = new ArrayDeque<>(List.of(actions.get(i)));
                while (!todo.isEmpty()) {
                    String a = todo.pop();
                    long bit = 1L << bits.get(a);
                    if ((m & bit) != 0) {
                        continue;
                    }
                    m |= bit;
                    todo.addAll(model.implications().getOrDefault(a, Set.of()));
                }
                closure[i] = m;
            }
            long o = 0;
            for (String a : model.ownerActions()) {
                o |= 1L << bits.get(a);
            }
            this.ownerMask = close(o);
        }

        /** The actions {@code mask} grants, closed over implications. */
        public long close(long mask) {
            long r = 0;
            for (int i = 0; i < closure.length; i++) {
                if ((mask & (1L << i)) != 0) {
                    r |= closure[i];
                }
            }
            return r;
        }

        /** The actions a deny of {@code mask} denies: the actions themselves and every action implying one. */
        public long denyClose(long mask) {
            long r = 0;
            for (int i = 0; i < closure.length; i++) {
                if ((closure[i] & mask) != 0) {
                    r |= 1L << i;
                }
            }
            return r;
        }

        public String name() {
            return model.name();
        }

        /** The bit of an action; an unknown action is an error. */
        public long bit(String action) {
            String[] n = names;
            for (int i = 0; i < n.length; i++) {
                if (n[i] == action) {
                    return 1L << i;
                }
            }
            if (action != null) {
                for (int i = 0; i < n.length; i++) {
                    if (n[i].equals(action)) {
                        return 1L << i;
                    }
                }
            }
            throw new AclException(Reason.UNKNOWN_ACTION, "model " + model.name() + " has no action '"
                    + printable(action) + "'");
        }
    }

    /** One role, compiled: its ancestors (itself included) and its permissions closed over inheritance. */
    public static final class RoleInfo {
        public final Role role;
        /** The role as a principal: one instance for every snapshot built on this schema. */
        public final io.mediastore.acl.Principal principal;
        public final List<String> ancestors;
        /** Per model index, closed over implications and inherited roles: what an allow of the role grants. */
        public final long[] masks;
        /** Per model index, the listed permissions of the role and its ancestors: what a deny of the role names. */
        final long[] listed;

        RoleInfo(Role role, List<String> ancestors, long[] masks, long[] listed) {
            this.role = role;
            this.principal = io.mediastore.acl.Principal.role(role.name());
            this.ancestors = ancestors;
            this.masks = masks;
            this.listed = listed;
        }
    }

    public final List<Model> models;
    public final List<Role> roles;
    public final ModelInfo[] modelInfos;
    /** Model names by index: a check finds its model by identity, else by equals, without hashing. */
    private final String[] modelNames;
    private final Map<String, ModelInfo> byName;
    /** Distinct per-model mask arrays, by id: id * modelCount + model index. Grows, append-only. */
    private final java.util.IdentityHashMap<long[], Integer> maskIds = new java.util.IdentityHashMap<>();
    private volatile long[] maskTable = new long[0];
    private int maskCount;
    public final Map<String, RoleInfo> roleInfos;
    private final Map<List<Object>, long[]> maskCache = new HashMap<>();

    private CompiledSchema(List<Model> models, List<Role> roles) {
        this.models = List.copyOf(models);
        this.roles = List.copyOf(roles);
        Map<String, Model> mm = new LinkedHashMap<>();
        for (Model m : models) {
            if (mm.put(m.name(), m) != null) {
                throw new AclException(Reason.INVALID_POLICY, "model " + m.name() + " is defined twice");
            }
        }
        List<String> names = new ArrayList<>(mm.keySet());
        modelInfos = new ModelInfo[names.size()];
        Map<String, ModelInfo> bn = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Model m = mm.get(names.get(i));
            int parent = -1;
            if (m.parent().isPresent()) {
                parent = names.indexOf(m.parent().get());
                if (parent < 0) {
                    throw new AclException(Reason.UNKNOWN_MODEL, "model " + m.name() + " has unknown parent model "
                            + m.parent().get());
                }
            }
            modelInfos[i] = new ModelInfo(m, i, parent);
            bn.put(m.name(), modelInfos[i]);
        }
        this.byName = Map.copyOf(bn);
        this.modelNames = names.toArray(new String[0]);

        Map<String, Role> rm = new LinkedHashMap<>();
        for (Role r : roles) {
            if (rm.put(r.name(), r) != null) {
                throw new AclException(Reason.INVALID_POLICY, "role " + r.name() + " is defined twice");
            }
        }
        this.roleInfos = compileRoles(rm);
    }

    /** A role graph refused: names the role, so that a policy file can name its line. */
    public static final class RoleGraphException extends AclException {
        private static final long serialVersionUID = 1L;
        public final String role;

        RoleGraphException(Reason reason, String role, String message) {
            super(reason, message);
            this.role = role;
        }
    }

    /**
     * Each role's ancestors and masks, computed once per role from its parents' (already computed)
     * ones, parents first: linear in the size of the graph and the closures, with no recursion, so
     * diamonds and long chains cost no more than their size. A cycle is an error rather than silently
     * merged roles.
     */
    private Map<String, RoleInfo> compileRoles(Map<String, Role> rm) {
        Map<String, Integer> pending = new HashMap<>();
        Map<String, List<String>> heirs = new HashMap<>();
        ArrayDeque<String> ready = new ArrayDeque<>();
        for (Role r : rm.values()) {
            for (String p : r.inherits()) {
                if (!rm.containsKey(p)) {
                    throw new RoleGraphException(Reason.UNKNOWN_ROLE, r.name(), "role " + r.name() + " inherits unknown role " + p);
                }
                heirs.computeIfAbsent(p, k -> new ArrayList<>()).add(r.name());
            }
            pending.put(r.name(), r.inherits().size());
            if (r.inherits().isEmpty()) {
                ready.add(r.name());
            }
        }
        Map<String, RoleInfo> ri = new HashMap<>();
        while (!ready.isEmpty()) {
            Role r = rm.get(ready.poll());
            java.util.LinkedHashSet<String> anc = new java.util.LinkedHashSet<>();
            anc.add(r.name());
            long[] masks = new long[modelInfos.length];
            long[] listed = new long[modelInfos.length];
            for (String p : r.inherits()) {
                RoleInfo pi = ri.get(p);
                anc.addAll(pi.ancestors);
                for (int i = 0; i < masks.length; i++) {
                    masks[i] |= pi.masks[i];
                    listed[i] |= pi.listed[i];
                }
            }
            if (anc.size() - 1 > Role.MAX_ANCESTORS) {
                throw new RoleGraphException(Reason.INVALID_POLICY, r.name(), "role " + r.name() + " inherits more than "
                        + Role.MAX_ANCESTORS + " roles (directly or through the roles it inherits)");
            }
            for (Map.Entry<String, Set<String>> p : r.permissions().entrySet()) {
                ModelInfo mi = model(p.getKey());
                long bitsOf = 0;
                for (String act : p.getValue()) {
                    bitsOf |= mi.bit(act);
                }
                masks[mi.index] |= mi.close(bitsOf);
                listed[mi.index] |= bitsOf;
            }
            ri.put(r.name(), new RoleInfo(r, List.copyOf(anc), masks, listed));
            for (String h : heirs.getOrDefault(r.name(), List.of())) {
                if (pending.merge(h, -1, Integer::sum) == 0) {
                    ready.add(h);
                }
            }
        }
        if (ri.size() < rm.size()) {
            // every role left waits on a parent that is left: following such parents must repeat a role
            String start = rm.keySet().stream().filter(n -> !ri.containsKey(n)).findFirst().orElseThrow();
            Set<String> seen = new HashSet<>();
            String c = start;
            while (seen.add(c)) {
                c = rm.get(c).inherits().stream().filter(n -> !ri.containsKey(n)).findFirst().orElseThrow();
            }
            throw new RoleGraphException(Reason.INVALID_POLICY, c, "role inheritance cycle through " + c);
        }
        return Map.copyOf(ri);
    }

    public static CompiledSchema compile(List<Model> models, List<Role> roles) {
        return new CompiledSchema(models, roles);
    }

    /** The model called {@code name}; an unknown model is an error. Lock-free. */
    public ModelInfo model(String name) {
        int i = modelIndex(name);
        if (i < 0) {
            throw new AclException(Reason.UNKNOWN_MODEL, "unknown model '" + printable(name) + "'");
        }
        return modelInfos[i];
    }

    /** The index of the model called {@code name}, or -1. Lock-free. */
    public int modelIndex(String name) {
        String[] n = modelNames;
        for (int i = 0; i < n.length; i++) {
            if (n[i] == name) {
                return i;
            }
        }
        if (name == null) {
            return -1;
        }
        if (n.length <= 16) {
            for (int i = 0; i < n.length; i++) {
                if (n[i].equals(name)) {
                    return i;
                }
            }
            return -1;
        }
        ModelInfo m = byName.get(name);
        return m == null ? -1 : m.index;
    }

    /** The mask table a snapshot built now reads: every id handed out so far is in it. */
    public long[] maskTable() {
        return maskTable;
    }

    /**
     * The id of a grant's per-model action bitsets in {@link #maskTable()}, validated as
     * {@link #masksOf(Grant)} does. Writers only.
     */
    public synchronized int maskId(Grant g) {
        long[] masks = masksOf(g);
        Integer id = maskIds.get(masks);
        if (id != null) {
            return id;
        }
        if (maskCount > Entry.MAX_MASK_ID) {
            throw new AclException(Reason.INVALID_POLICY, "too many distinct action sets in grants");
        }
        int mc = modelInfos.length;
        long[] t = maskTable;
        if ((maskCount + 1) * mc > t.length) {
            // readers of older snapshots only read ids below their own count: growing by copy is safe
            t = java.util.Arrays.copyOf(t, Math.max(16 * mc, 2 * t.length));
        }
        System.arraycopy(masks, 0, t, maskCount * mc, mc);
        maskTable = t;
        maskIds.put(masks, maskCount);
        return maskCount++;
    }

    public RoleInfo role(String name) {
        RoleInfo r = roleInfos.get(name);
        if (r == null) {
            throw new AclException(Reason.UNKNOWN_ROLE, "unknown role '" + printable(name) + "'");
        }
        return r;
    }

    /**
     * The per-model action bitsets of a grant, validated: actions must be declared by the target model
     * or (for a tree) by a model that can be below it. Equal masks are shared. Writers only.
     */
    public synchronized long[] masksOf(Grant g) {
        ModelInfo target = model(g.model());
        Set<Integer> relevant = new TreeSet<>();
        relevant.add(target.index);
        if (g.scope() == Grant.Scope.TREE) {
            for (ModelInfo m : modelInfos) {
                if (isBelow(m, target)) {
                    relevant.add(m.index);
                }
            }
        }
        boolean deny = g.effect() == Grant.Effect.DENY;
        List<Object> key = g.role().isPresent()
                ? List.of(deny, "role", g.role().get())
                : List.of(deny, new TreeSet<>(g.actions()), relevant);
        long[] cached = maskCache.get(key);
        if (cached != null) {
            return cached;
        }
        long[] masks = new long[modelInfos.length];
        if (g.role().isPresent()) {
            RoleInfo r = role(g.role().get());
            for (int i = 0; i < masks.length; i++) {
                masks[i] = deny ? modelInfos[i].denyClose(r.listed[i]) : r.masks[i];
            }
        } else {
            for (String a : g.actions()) {
                boolean declared = false;
                for (int i : relevant) {
                    Integer b = modelInfos[i].bits.get(a);
                    if (b != null) {
                        masks[i] |= 1L << b;
                        declared = true;
                    }
                }
                if (!declared) {
                    throw new AclException(Reason.UNKNOWN_ACTION, "action '" + a + "' is not declared by model "
                            + target.name() + (g.scope() == Grant.Scope.TREE ? " or a model below it" : ""));
                }
            }
            for (int i = 0; i < masks.length; i++) {
                masks[i] = deny ? modelInfos[i].denyClose(masks[i]) : modelInfos[i].close(masks[i]);
            }
        }
        maskCache.put(key, masks);
        return masks;
    }

    /** Whether objects of {@code m} can sit (transitively) below objects of {@code ancestor}. */
    public boolean isBelow(ModelInfo m, ModelInfo ancestor) {
        int p = m.parent;
        for (int steps = 0; p >= 0 && steps <= modelInfos.length; steps++) {
            if (p == ancestor.index) {
                return true;
            }
            p = modelInfos[p].parent;
        }
        return false;
    }

    static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return "CompiledSchema" + Arrays.toString(modelInfos.length == 0 ? new String[0]
                : models.stream().map(Model::name).toArray());
    }
}
