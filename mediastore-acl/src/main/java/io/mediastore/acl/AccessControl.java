package io.mediastore.acl;

import io.mediastore.acl.internal.CompiledSchema;
import io.mediastore.acl.internal.Entry;
import io.mediastore.acl.internal.Evaluator;
import io.mediastore.acl.internal.Snapshot;
import io.mediastore.acl.internal.SnapshotBuilder;
import io.mediastore.acl.spi.AuditSink;
import io.mediastore.acl.spi.InMemoryPolicyStore;
import io.mediastore.acl.spi.PolicyChangeListener;
import io.mediastore.acl.spi.PolicyStore;
import io.mediastore.acl.spi.StoredPolicy;
import io.mediastore.acl.spi.VersionStep;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Role- and action-based access control over models, with grants and denies on objects, object trees
 * and whole models. Thread-safe; checks take no lock.
 *
 * <pre>{@code
 * AccessControl acl = AccessControl.builder()
 *     .model(Model.builder("Collection").actions("view", "edit").implies("edit", "view").parent("Collection").build())
 *     .model(Model.builder("Asset").actions("view", "download", "edit").implies("edit", "view").parent("Collection").build())
 *     .role(Role.builder("viewer").permit("Collection", "view").permit("Asset", "view", "download").build())
 *     .build();
 * acl.putObject(ObjectNode.of(ObjectRef.of("Asset", "42")).withParent(ObjectRef.of("Collection", "7")));
 * acl.grant(Grant.allow().to(Principal.group("staff")).role("viewer").onTree(ObjectRef.of("Collection", "7")).build());
 * acl.addMember(Membership.of(Principal.user("alice"), Principal.group("staff")));
 * Decision d = acl.check(Principal.user("alice"), "download", ObjectRef.of("Asset", "42"));
 * d.allowed();   // true
 * d.explain();   // user:alice may download Asset:42: allowed by allow ... role viewer on Collection:7 and descendants; ...
 * }</pre>
 *
 * <p><b>Semantics.</b> A check is allowed when some applicable allow grant covers the action (or the
 * principal owns the object and the model's owner rule covers it) and no applicable deny does: a deny
 * always wins. A grant applies when its subject is the principal or a group or role the principal is
 * in (transitively, roles including the roles they inherit), its window contains the clock's instant,
 * and it sits on the object, on an ancestor with tree scope (unless an object on the way blocks
 * inheritance), or on the whole model. Unknown models and actions are errors
 * ({@link AclException}); unknown principals and objects simply have no grants.
 *
 * <p><b>Consistency.</b> Every change goes to the {@link PolicyStore} first, then replaces the
 * immutable snapshot checks read (copy-on-write), so it is visible to the next check on this node.
 * The change is applied to the snapshot in place only if the store reports that it moved the version
 * from the snapshot's version by exactly one; otherwise (another node wrote in between) the node
 * reloads from the store.
 * Changes another node makes reach this one when the store notifies its listeners (see
 * {@link io.mediastore.acl.spi.JdbcPolicyStore#pollForChanges()}); the next check then reloads.
 */
@Singleton
public final class AccessControl {
    private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

    private final CompiledSchema schema;
    private final PolicyStore store;
    private final Clock clock;
    private final AuditSink audit;
    private final Object writeLock = new Object();
    /** Writer-side index for revocation; guarded by writeLock. */
    private final Map<String, Grant> grantsById = new HashMap<>();
    private final AtomicLong notified = new AtomicLong(Long.MIN_VALUE);
    private final PolicyChangeListener listener;
    private volatile Snapshot snapshot;

    private AccessControl(Builder b) {
        this.schema = CompiledSchema.compile(b.models, b.roles);
        this.store = b.store != null ? b.store : new InMemoryPolicyStore();
        this.clock = b.clock;
        this.audit = b.audits.isEmpty() ? null : b.audits.size() == 1 ? b.audits.get(0) : d -> {
            for (AuditSink s : b.audits) {
                s.record(d);
            }
        };
        if (!b.memberships.isEmpty() || !b.objects.isEmpty() || !b.grants.isEmpty()) {
            // validate before writing anything to the store
            SnapshotBuilder check = new SnapshotBuilder(schema);
            List<Membership> ms = b.memberships.stream().map(check::addMembership).toList();
            List<ObjectNode> os = b.objects.stream().map(check::putObject).toList();
            List<Grant> gs = b.grants.stream().map(check::addGrant).toList();
            store.putAll(ms, os, gs);
        }
        // listen first, then load: a change landing in between is reloaded by the next check
        this.listener = v -> notified.accumulateAndGet(v, Math::max);
        store.addChangeListener(listener);
        synchronized (writeLock) {
            reloadLocked();
        }
    }

    /**
     * For DI containers: the policy's models and roles (and any memberships, objects and grants it
     * holds, written to the store as {@link Builder#policy(Policy)} does), the store, and the clock that
     * validity windows are read from. Audit sinks are installed with the {@link #builder()} instead.
     *
     * @throws AclException if the policy is inconsistent or the store fails
     */
    @Inject
    public AccessControl(Policy policy, PolicyStore store, Clock clock) {
        this(builder().policy(Objects.requireNonNull(policy, "policy")).store(store).clock(clock));
    }

    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ checks

    /**
     * Decides whether {@code principal} may do {@code action} on {@code resource}, and why.
     *
     * @throws AclException with reason UNKNOWN_MODEL or UNKNOWN_ACTION
     */
    public Decision check(Principal principal, String action, ObjectRef resource) {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(resource, "resource");
        Snapshot s = current();
        CompiledSchema.ModelInfo m = s.schema.model(resource.model());
        long want = m.bit(action);
        int o = s.objectId(resource, m.index);
        long r = Evaluator.evaluate(s, s.subjectsOf(principal), m, want, o, clock);
        Decision d = decision(s, m, principal, action, resource, o, r);
        if (audit != null) {
            record(d);
        }
        return d;
    }

    /** Like {@link #check} without building the explanation: the fastest way to ask. */
    public boolean isAllowed(Principal principal, String action, ObjectRef resource) {
        Snapshot s = current();
        CompiledSchema.ModelInfo m = s.schema.model(resource.model());
        long want = m.bit(action);
        int o = s.objectId(resource, m.index);
        long r = Evaluator.evaluate(s, s.subjectsOf(principal), m, want, o, clock);
        if (audit != null) {
            Decision d = decision(s, m, principal, action, resource, o, r);
            record(d);
            return d.allowed();
        }
        return Evaluator.allows(r);
    }

    /**
     * The objects of {@code model} on which {@code principal} may do {@code action} now; turn it into
     * a SQL filter with {@link PermittedObjects#toSqlFilter(String)}. Cost is linear in the number of
     * objects the policy knows.
     */
    public PermittedObjects permitted(Principal principal, String model, String action) {
        Objects.requireNonNull(principal, "principal");
        Snapshot s = current();
        CompiledSchema.ModelInfo m = s.schema.model(model);
        long want = m.bit(action);
        int[] subj = s.subjectsOf(principal);
        // a whole-model allow (and no whole-model deny) turns the answer into "all except"
        long whole = Evaluator.evaluate(s, subj, m, want, -1, clock);
        if (Evaluator.denies(whole)) {
            return new PermittedObjects(model, action, false, Set.of());
        }
        boolean all = Evaluator.allows(whole);
        Set<String> ids = new HashSet<>();
        for (int o = 0; o < s.objectCount; o++) {
            ObjectRef ref = s.objects.key(o);
            if (!ref.model().equals(model)) {
                continue;
            }
            boolean allowed = Evaluator.allows(Evaluator.evaluate(s, subj, m, want, o, clock));
            if (allowed != all) {
                ids.add(ref.id());
            }
        }
        return new PermittedObjects(model, action, all, ids);
    }

    private static Decision decision(Snapshot s, CompiledSchema.ModelInfo m, Principal p, String action, ObjectRef res,
                                     int o, long r) {
        if (r == Evaluator.NONE) {
            return new Decision(p, action, res, Decision.Reason.NO_MATCHING_GRANT, null, null, o, -1, s);
        }
        if (r == Evaluator.OWNER) {
            return new Decision(p, action, res, Decision.Reason.ALLOWED_AS_OWNER, null, ownerOf(s, o), o, o, s);
        }
        Entry e = Evaluator.entry(s, m.index, r);
        return new Decision(p, action, res, e.deny() ? Decision.Reason.DENIED_BY_GRANT : Decision.Reason.ALLOWED_BY_GRANT,
                e.grant, e.grant.subject(), o, Evaluator.holder(r), s);
    }

    private static Principal ownerOf(Snapshot s, int o) {
        int ow = s.ownerOf(o);
        return ow < 0 ? null : s.principals.key(ow);
    }

    private void record(Decision d) {
        try {
            audit.record(d);
        } catch (RuntimeException e) {
            // an audit failure must not change the decision; the host sees it in its logs
            LOG.warn("audit sink failed: {}", e.toString());
        }
    }

    /** The snapshot, reloaded first if the store announced a version this node has not seen. */
    private Snapshot current() {
        Snapshot s = snapshot;
        if (notified.get() > s.version) {
            synchronized (writeLock) {
                if (notified.get() > snapshot.version) {
                    reloadLocked();
                }
                s = snapshot;
            }
        }
        return s;
    }

    // ------------------------------------------------------------------ changes

    /** Adds a grant, or replaces the grant with the same id. */
    public void grant(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        Grant[] canonical = {grant};
        change(b -> {
            Grant old = grantsById.get(grant.id());
            if (old != null) {
                b.removeGrant(old);
            }
            canonical[0] = b.addGrant(grant);
        }, () -> store.putGrant(canonical[0]), () -> grantsById.put(grant.id(), canonical[0]));
    }

    /**
     * Revokes a grant by id, in the store even if this node has not seen the grant yet (another node
     * may have made it since the last poll); returns whether the store held it.
     */
    public boolean revoke(String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        return change(b -> {
            Grant old = grantsById.get(grantId);
            if (old != null) {
                b.removeGrant(old);
            }
        }, () -> store.removeGrant(grantId), () -> grantsById.remove(grantId)).changed();
    }

    public void addMember(Membership membership) {
        Objects.requireNonNull(membership, "membership");
        Membership[] canonical = {membership};
        change(b -> canonical[0] = b.addMembership(membership), () -> store.putMembership(canonical[0]), () -> { });
    }

    public void removeMember(Membership membership) {
        Objects.requireNonNull(membership, "membership");
        change(b -> b.removeMembership(membership), () -> store.removeMembership(membership), () -> { });
    }

    /** Adds or replaces what the policy knows about an object (parent, owner, inheritance). */
    public void putObject(ObjectNode node) {
        Objects.requireNonNull(node, "node");
        ObjectNode[] canonical = {node};
        change(b -> canonical[0] = b.putObject(node), () -> store.putObject(canonical[0]), () -> { });
    }

    /** Forgets an object's parent, owner and inheritance flag (its grants stay until revoked). */
    public void removeObject(ObjectRef ref) {
        Objects.requireNonNull(ref, "ref");
        change(b -> b.removeObject(ref), () -> store.removeObject(ref), () -> { });
    }

    private interface Edit {
        void apply(SnapshotBuilder b);
    }

    private interface StoreWrite {
        VersionStep write();
    }

    private VersionStep change(Edit edit, StoreWrite write, Runnable after) {
        synchronized (writeLock) {
            refreshLocked();
            Snapshot base = snapshot;
            SnapshotBuilder b = new SnapshotBuilder(base);
            edit.apply(b);           // validates; throws before the store is touched
            VersionStep step = write.write();
            if (step.from() == base.version && step.to() == base.version + 1) {
                // the store applied exactly this change to exactly the state the snapshot holds
                after.run();
                snapshot = b.build(step.to());
            } else if (step.from() != base.version || step.changed()) {
                // another writer moved the store first (this change may even have been a no-op on its
                // state): the local edit would lose that writer's change, so take the store's state
                reloadLocked();
            }
            // else nothing changed anywhere: the snapshot still is the store's state
            return step;
        }
    }

    /** Reloads everything from the store now. */
    public void refresh() {
        synchronized (writeLock) {
            reloadLocked();
        }
    }

    private void refreshLocked() {
        if (notified.get() > snapshot.version) {
            reloadLocked();
        }
    }

    private void reloadLocked() {
        StoredPolicy sp = store.load();
        SnapshotBuilder b = new SnapshotBuilder(schema);
        sp.memberships().forEach(b::addMembership);
        sp.objects().forEach(b::putObject);
        grantsById.clear();
        for (Grant g : sp.grants()) {
            grantsById.put(g.id(), b.addGrant(g));
        }
        snapshot = b.build(sp.version());
    }

    // ------------------------------------------------------------------ export

    /** The whole policy now: this instance's models and roles, and the store's data. */
    public Policy policy() {
        StoredPolicy sp = store.load();
        Policy.Builder b = Policy.builder();
        schema.models.forEach(b::model);
        schema.roles.forEach(b::role);
        sp.memberships().forEach(b::membership);
        sp.objects().forEach(b::object);
        sp.grants().forEach(b::grant);
        return b.build();
    }

    /** The version of the snapshot checks currently read. */
    public long version() {
        return current().version;
    }

    /** Number of grants in the current snapshot. */
    public int grantCount() {
        return current().grantCount;
    }

    /** Stops listening to the store (the store itself stays open; it belongs to the caller). */
    public void close() {
        store.removeChangeListener(listener);
    }

    /** Builds an {@link AccessControl}; the schema is validated in {@link #build()}. */
    public static final class Builder {
        private final List<Model> models = new ArrayList<>();
        private final List<Role> roles = new ArrayList<>();
        private final List<Membership> memberships = new ArrayList<>();
        private final List<ObjectNode> objects = new ArrayList<>();
        private final List<Grant> grants = new ArrayList<>();
        private final List<AuditSink> audits = new ArrayList<>();
        private PolicyStore store;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder model(Model m) {
            models.add(Objects.requireNonNull(m, "model"));
            return this;
        }

        public Builder role(Role r) {
            roles.add(Objects.requireNonNull(r, "role"));
            return this;
        }

        /** Takes the policy's models and roles, and writes its memberships, objects and grants to the store. */
        public Builder policy(Policy p) {
            models.addAll(p.models());
            roles.addAll(p.roles());
            memberships.addAll(p.memberships());
            objects.addAll(p.objects());
            grants.addAll(p.grants());
            return this;
        }

        /** The store of grants, memberships and objects; default: a new {@link InMemoryPolicyStore}. */
        public Builder store(PolicyStore s) {
            this.store = Objects.requireNonNull(s, "store");
            return this;
        }

        /** Uses the first {@link PolicyStore} registered with {@link ServiceLoader} other than the in-memory default. */
        public Builder storeFromServiceLoader() {
            PolicyStore found = null;
            for (PolicyStore s : ServiceLoader.load(PolicyStore.class)) {
                if (found == null || found instanceof InMemoryPolicyStore) {
                    found = s;
                }
            }
            this.store = found != null ? found : new InMemoryPolicyStore();
            return this;
        }

        /** The clock that validity windows are checked against; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        /** Adds an audit sink; without any, checks do no audit work. */
        public Builder auditSink(AuditSink sink) {
            audits.add(Objects.requireNonNull(sink, "sink"));
            return this;
        }

        /** Adds every {@link AuditSink} registered with {@link ServiceLoader}. */
        public Builder auditSinksFromServiceLoader() {
            ServiceLoader.load(AuditSink.class).forEach(audits::add);
            return this;
        }

        /**
         * @throws AclException if the schema or the initial data is inconsistent, or the store fails
         */
        public AccessControl build() {
            return new AccessControl(this);
        }
    }
}
