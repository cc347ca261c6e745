package io.mediastore.acl.spi;

import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.ObjectNode;
import io.mediastore.acl.ObjectRef;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** The default {@link PolicyStore}: in memory, insertion-ordered, for one process. */
@Singleton
public final class InMemoryPolicyStore implements PolicyStore {
    private final Map<String, Grant> grants = new LinkedHashMap<>();
    private final Set<Membership> memberships = new LinkedHashSet<>();
    private final Map<ObjectRef, ObjectNode> objects = new LinkedHashMap<>();
    private final List<PolicyChangeListener> listeners = new CopyOnWriteArrayList<>();
    private long version;

    @Inject
    public InMemoryPolicyStore() {
    }

    @Override
    public synchronized StoredPolicy load() {
        return new StoredPolicy(version, new ArrayList<>(memberships), new ArrayList<>(objects.values()),
                new ArrayList<>(grants.values()));
    }

    @Override
    public synchronized long version() {
        return version;
    }

    @Override
    public VersionStep putGrant(Grant grant) {
        Objects.requireNonNull(grant, "grant");
        return changed(() -> !grant.equals(grants.put(grant.id(), grant)));
    }

    @Override
    public VersionStep removeGrant(String grantId) {
        Objects.requireNonNull(grantId, "grantId");
        return changed(() -> grants.remove(grantId) != null);
    }

    @Override
    public VersionStep putMembership(Membership membership) {
        Objects.requireNonNull(membership, "membership");
        return changed(() -> memberships.add(membership));
    }

    @Override
    public VersionStep removeMembership(Membership membership) {
        Objects.requireNonNull(membership, "membership");
        return changed(() -> memberships.remove(membership));
    }

    @Override
    public VersionStep putObject(ObjectNode node) {
        Objects.requireNonNull(node, "node");
        return changed(() -> !node.equals(objects.put(node.ref(), node)));
    }

    @Override
    public VersionStep removeObject(ObjectRef ref) {
        Objects.requireNonNull(ref, "ref");
        return changed(() -> objects.remove(ref) != null);
    }

    @Override
    public VersionStep putAll(List<Membership> ms, List<ObjectNode> os, List<Grant> gs) {
        return changed(() -> {
            boolean c = false;
            for (Membership m : ms) {
                c |= memberships.add(Objects.requireNonNull(m));
            }
            for (ObjectNode n : os) {
                c |= !n.equals(objects.put(n.ref(), n));
            }
            for (Grant g : gs) {
                c |= !g.equals(grants.put(g.id(), g));
            }
            return c;
        });
    }

    private interface Change {
        boolean apply();
    }

    private VersionStep changed(Change change) {
        VersionStep step;
        synchronized (this) {
            long from = version;
            if (change.apply()) {
                version++;
            }
            step = new VersionStep(from, version);
        }
        if (step.changed()) {
            // outside the lock: a listener may read the store
            for (PolicyChangeListener l : listeners) {
                l.policyChanged(step.to());
            }
        }
        return step;
    }

    @Override
    public void addChangeListener(PolicyChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeChangeListener(PolicyChangeListener listener) {
        listeners.remove(listener);
    }
}
