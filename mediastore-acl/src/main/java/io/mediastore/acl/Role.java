package io.mediastore.acl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A named set of (model, action) permissions, with inheritance: a role includes the permissions of
 * the roles it inherits, and members of a role are members of the roles it inherits.
 *
 * <pre>{@code
 * Role viewer = Role.builder("viewer").permit("Asset", "view").permit("Collection", "view").build();
 * Role editor = Role.builder("editor").inherits("viewer").permit("Asset", "edit").build();
 * }</pre>
 *
 * <p>A role inherits at most {@link #MAX_ANCESTORS} roles (directly or through others); a schema
 * with a longer chain is refused. A role's permissions apply where the role is granted ({@link Grant.Builder#role(String)}) on an
 * object, a tree or a whole model.
 */
public final class Role {
    /**
     * A role inherits at most this many roles, directly or transitively: each role's permissions are
     * precomputed over all the roles it inherits, so the schema's size grows with these closures.
     */
    public static final int MAX_ANCESTORS = 1_000;

    private final String name;
    private final Set<String> inherits;
    private final Map<String, Set<String>> permissions;

    private Role(Builder b) {
        this.name = b.name;
        this.inherits = Collections.unmodifiableSet(new LinkedHashSet<>(b.inherits));
        Map<String, Set<String>> p = new LinkedHashMap<>();
        b.permissions.forEach((k, v) -> {
            if (!v.isEmpty()) {
                p.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v)));
            }
        });
        this.permissions = Collections.unmodifiableMap(p);
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The roles this role directly inherits. */
    public Set<String> inherits() {
        return inherits;
    }

    /** Direct permissions: model name to actions. */
    public Map<String, Set<String>> permissions() {
        return permissions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Role r && name.equals(r.name) && inherits.equals(r.inherits)
                && permissions.equals(r.permissions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, inherits, permissions);
    }

    @Override
    public String toString() {
        return "Role[" + name + " inherits=" + inherits + " permits=" + permissions + "]";
    }

    /** Builds a {@link Role}; model and action names are checked against the models when the policy is compiled. */
    public static final class Builder {
        private final String name;
        private final Set<String> inherits = new LinkedHashSet<>();
        private final Map<String, Set<String>> permissions = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = Names.name("role name", name);
        }

        public Builder inherits(String... roles) {
            for (String r : roles) {
                inherits.add(Names.name("role name", r));
            }
            return this;
        }

        public Builder permit(String model, String... actions) {
            Set<String> set = permissions.computeIfAbsent(Names.modelName(model), k -> new LinkedHashSet<>());
            for (String a : actions) {
                set.add(Names.name("action", a));
            }
            return this;
        }

        public Role build() {
            if (inherits.contains(name)) {
                throw new IllegalArgumentException("role " + name + " inherits itself");
            }
            return new Role(this);
        }
    }
}
