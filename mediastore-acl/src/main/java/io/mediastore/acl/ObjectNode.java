package io.mediastore.acl;

import java.util.Objects;
import java.util.Optional;

/**
 * What the policy knows about one object: its parent (it inherits the parent's tree grants), its
 * owner (who may do what the model's owner rule says), and whether it blocks inheritance from its
 * parent (as a Nuxeo document can).
 */
public final class ObjectNode {
    private final ObjectRef ref;
    private final ObjectRef parent;
    private final Principal owner;
    private final boolean inheritanceBlocked;

    private ObjectNode(ObjectRef ref, ObjectRef parent, Principal owner, boolean inheritanceBlocked) {
        this.ref = Objects.requireNonNull(ref, "ref");
        if (parent != null && parent.equals(ref)) {
            throw new IllegalArgumentException("an object cannot be its own parent");
        }
        if (owner != null && owner.kind() == Principal.Kind.ROLE) {
            throw new IllegalArgumentException("an owner is a user or a group");
        }
        this.parent = parent;
        this.owner = owner;
        this.inheritanceBlocked = inheritanceBlocked;
    }

    public static ObjectNode of(ObjectRef ref) {
        return new ObjectNode(ref, null, null, false);
    }

    public ObjectNode withParent(ObjectRef newParent) {
        return new ObjectNode(ref, newParent, owner, inheritanceBlocked);
    }

    public ObjectNode withOwner(Principal newOwner) {
        return new ObjectNode(ref, parent, newOwner, inheritanceBlocked);
    }

    public ObjectNode withInheritanceBlocked(boolean blocked) {
        return new ObjectNode(ref, parent, owner, blocked);
    }

    public ObjectRef ref() {
        return ref;
    }

    public Optional<ObjectRef> parent() {
        return Optional.ofNullable(parent);
    }

    public Optional<Principal> owner() {
        return Optional.ofNullable(owner);
    }

    public boolean inheritanceBlocked() {
        return inheritanceBlocked;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectNode n && ref.equals(n.ref) && Objects.equals(parent, n.parent)
                && Objects.equals(owner, n.owner) && inheritanceBlocked == n.inheritanceBlocked;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ref, parent, owner, inheritanceBlocked);
    }

    @Override
    public String toString() {
        return "ObjectNode[" + ref + (parent != null ? " parent=" + parent : "") + (owner != null ? " owner=" + owner : "")
                + (inheritanceBlocked ? " noinherit" : "") + "]";
    }
}
