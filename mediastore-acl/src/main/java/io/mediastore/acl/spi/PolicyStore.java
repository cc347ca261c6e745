package io.mediastore.acl.spi;

import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.ObjectNode;
import io.mediastore.acl.ObjectRef;

import java.util.List;

/**
 * Where the data part of a policy (grants, memberships, object nodes) lives. The schema (models and
 * roles) is code or a policy file, not store content.
 *
 * <p>The store keeps a version: a counter that increases by exactly one per effective change. Each
 * mutation is atomic and returns its {@link VersionStep}: the version it was applied to and the version
 * after it ({@code from + 1} if it changed anything, else {@code from}), so a writer can tell whether
 * someone else wrote in between, and whether its own change took effect. (The version after alone
 * cannot tell: a no-op on a store another node has just moved looks like one's own change.)
 * Listeners hear every change made through this store instance, and, for stores shared between nodes,
 * changes detected from others.
 *
 * <p>Implementations are thread-safe. Every implementation's tests extend the contract test
 * {@code io.mediastore.acl.spi.PolicyStoreContract} from the test jar. Failures are
 * {@link io.mediastore.acl.AclException} with reason {@code STORE_FAILURE}.
 *
 * <p>Changed in 0.1.0 (before the first release): every write returns a {@link VersionStep}, the version it was
 * applied to and the version after it, read atomically with the write, instead of the version after it alone,
 * which could not tell a node that another node had written in between; {@code putAll} has no default, since a
 * default could not be atomic. A store written against the earlier interface must be updated.
 */
public interface PolicyStore {

    /** Everything, consistently at one version. */
    StoredPolicy load();

    /** The current version. */
    long version();

    /** Adds or replaces (by id) a grant. */
    VersionStep putGrant(Grant grant);

    /** Removes the grant with this id, if any ({@link VersionStep#changed()} says whether there was one). */
    VersionStep removeGrant(String grantId);

    VersionStep putMembership(Membership membership);

    VersionStep removeMembership(Membership membership);

    /** Adds or replaces (by ref) an object node. */
    VersionStep putObject(ObjectNode node);

    VersionStep removeObject(ObjectRef ref);

    /** Adds or replaces many entries as one atomic change (one version step if anything changed). */
    VersionStep putAll(List<Membership> memberships, List<ObjectNode> objects, List<Grant> grants);

    void addChangeListener(PolicyChangeListener listener);

    void removeChangeListener(PolicyChangeListener listener);
}
