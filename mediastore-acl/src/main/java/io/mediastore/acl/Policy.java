package io.mediastore.acl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A complete policy as a value: models and roles (the schema), and memberships, objects and grants
 * (the data). {@link PolicyFile} reads and writes it; {@link AccessControl#policy()} exports one.
 * Consistency (known models, roles and actions, no cycles) is checked when it is loaded.
 */
public final class Policy {
    private final List<Model> models;
    private final List<Role> roles;
    private final List<Membership> memberships;
    private final List<ObjectNode> objects;
    private final List<Grant> grants;

    private Policy(Builder b) {
        this.models = List.copyOf(b.models);
        this.roles = List.copyOf(b.roles);
        this.memberships = List.copyOf(b.memberships);
        this.objects = List.copyOf(b.objects);
        this.grants = List.copyOf(b.grants);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Model> models() {
        return models;
    }

    public List<Role> roles() {
        return roles;
    }

    public List<Membership> memberships() {
        return memberships;
    }

    public List<ObjectNode> objects() {
        return objects;
    }

    public List<Grant> grants() {
        return grants;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.models.addAll(models);
        b.roles.addAll(roles);
        b.memberships.addAll(memberships);
        b.objects.addAll(objects);
        b.grants.addAll(grants);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Policy p && models.equals(p.models) && roles.equals(p.roles)
                && memberships.equals(p.memberships) && objects.equals(p.objects) && grants.equals(p.grants);
    }

    @Override
    public int hashCode() {
        return Objects.hash(models, roles, memberships, objects, grants);
    }

    @Override
    public String toString() {
        return "Policy[" + models.size() + " models, " + roles.size() + " roles, " + memberships.size()
                + " memberships, " + objects.size() + " objects, " + grants.size() + " grants]";
    }

    /** Collects the parts of a {@link Policy}, in order. */
    public static final class Builder {
        private final List<Model> models = new ArrayList<>();
        private final List<Role> roles = new ArrayList<>();
        private final List<Membership> memberships = new ArrayList<>();
        private final List<ObjectNode> objects = new ArrayList<>();
        private final List<Grant> grants = new ArrayList<>();

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

        public Builder membership(Membership m) {
            memberships.add(Objects.requireNonNull(m, "membership"));
            return this;
        }

        public Builder object(ObjectNode n) {
            objects.add(Objects.requireNonNull(n, "object"));
            return this;
        }

        public Builder grant(Grant g) {
            grants.add(Objects.requireNonNull(g, "grant"));
            return this;
        }

        public Policy build() {
            return new Policy(this);
        }
    }
}
