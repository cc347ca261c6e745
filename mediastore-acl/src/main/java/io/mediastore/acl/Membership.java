package io.mediastore.acl;

/**
 * {@code member} belongs to {@code parent}: a user or group in a group, or a user or group in a role.
 * Members of a role are members of every role it inherits.
 */
public record Membership(Principal member, Principal parent) {

    public Membership {
        if (member == null || parent == null) {
            throw new IllegalArgumentException("member and parent must not be null");
        }
        if (member.kind() == Principal.Kind.ROLE) {
            throw new IllegalArgumentException("a role is not a member of anything; use Role.inherits");
        }
        if (parent.kind() == Principal.Kind.USER) {
            throw new IllegalArgumentException("nothing can be a member of a user");
        }
        if (member.equals(parent)) {
            throw new IllegalArgumentException("a group cannot be a member of itself");
        }
    }

    public static Membership of(Principal member, Principal parent) {
        return new Membership(member, parent);
    }
}
