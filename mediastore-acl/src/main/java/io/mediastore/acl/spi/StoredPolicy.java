package io.mediastore.acl.spi;

import io.mediastore.acl.Grant;
import io.mediastore.acl.Membership;
import io.mediastore.acl.ObjectNode;

import java.util.List;

/**
 * The data part of a policy as a store holds it, at one version.
 *
 * @param version     the store's change counter at the time of reading
 * @param memberships all memberships
 * @param objects     all object nodes
 * @param grants      all grants
 */
public record StoredPolicy(long version, List<Membership> memberships, List<ObjectNode> objects, List<Grant> grants) {
    public StoredPolicy {
        memberships = List.copyOf(memberships);
        objects = List.copyOf(objects);
        grants = List.copyOf(grants);
    }
}
