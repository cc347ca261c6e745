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
 * <p>Each mutation is atomic and returns the store's version after it: a counter that increases by
 * exactly one per effective change (a mutation that changes nothing returns the current version), so a
 * writer can tell whether someone else wrote in between. Listeners hear every change made through this
 * store instance, and, for stores shared between nodes, changes detected from others.
 *
 * <p>Implementations are thread-safe. Every implementation's tests extend the contract test
 * {@code io.mediastore.acl.spi.PolicyStoreContract} from the test jar. Failures are
 * {@link io.mediastore.acl.AclException} with reason {@code STORE_FAILURE}.
 */
public interface PolicyStore {

    /** Everything, consistently at one version. */
    StoredPolicy load();

    /** The current version. */
    long version();

    /** Adds or replaces (by id) a grant. */
    long putGrant(Grant grant);

    /** Removes the grant with this id, if any. */
    long removeGrant(String grantId);

    long putMembership(Membership membership);

    long removeMembership(Membership membership);

    /** Adds or replaces (by ref) an object node. */
    long putObject(ObjectNode node);

    long removeObject(ObjectRef ref);

    /** Adds or replaces many entries as one change (one version step if anything changed). */
    default long putAll(List<Membership> memberships, List<ObjectNode> objects, List<Grant> grants) {
        long v = version();
        for (Membership m : memberships) {
            v = putMembership(m);
        }
        for (ObjectNode n : objects) {
            v = putObject(n);
        }
        for (Grant g : grants) {
            v = putGrant(g);
        }
        return v;
    }

    void addChangeListener(PolicyChangeListener listener);

    void removeChangeListener(PolicyChangeListener listener);
}
