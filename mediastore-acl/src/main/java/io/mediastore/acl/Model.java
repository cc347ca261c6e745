package io.mediastore.acl;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A kind of object (Asset, Collection, User or one the host defines): its actions, which actions imply
 * others ({@code edit} implies {@code view}), the model of its parent objects (an asset's parent is a
 * collection, collections nest), and what an owner may do.
 *
 * <pre>{@code
 * Model asset = Model.builder("Asset")
 *     .actions("view", "download", "edit", "delete")
 *     .implies("edit", "view", "download")
 *     .parent("Collection")
 *     .ownerMay("view", "download", "edit", "delete")
 *     .build();
 * }</pre>
 *
 * <p>A model declares at most 64 actions. {@code inherits} is not a model name (a policy file's role
 * lines use {@code inherits=} for inheritance).
 */
public final class Model {
    /** Precomputed decisions are bitsets of actions in one {@code long}. */
    public static final int MAX_ACTIONS = 64;

    private final String name;
    private final List<String> actions;
    private final Map<String, Set<String>> implications;
    private final String parent;
    private final Set<String> ownerActions;

    private Model(Builder b) {
        this.name = b.name;
        this.actions = List.copyOf(b.actions);
        Map<String, Set<String>> imp = new LinkedHashMap<>();
        b.implications.forEach((k, v) -> {
            if (!v.isEmpty()) {
                imp.put(k, Collections.unmodifiableSet(new LinkedHashSet<>(v)));
            }
        });
        this.implications = Collections.unmodifiableMap(imp);
        this.parent = b.parent;
        this.ownerActions = Collections.unmodifiableSet(new LinkedHashSet<>(b.ownerActions));
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public String name() {
        return name;
    }

    /** The declared actions in declaration order. */
    public List<String> actions() {
        return actions;
    }

    /** Direct implications: action to the actions it implies (transitive closure is applied by checks). */
    public Map<String, Set<String>> implications() {
        return implications;
    }

    /** The model of this model's parent objects, if objects of this model inherit from a parent. */
    public Optional<String> parent() {
        return Optional.ofNullable(parent);
    }

    /** The owner rule: what the owner of an object of this model may do. */
    public Set<String> ownerActions() {
        return ownerActions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Model m && name.equals(m.name) && actions.equals(m.actions)
                && implications.equals(m.implications) && Objects.equals(parent, m.parent)
                && ownerActions.equals(m.ownerActions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, actions, implications, parent, ownerActions);
    }

    @Override
    public String toString() {
        return "Model[" + name + " actions=" + actions + " implies=" + implications + " parent=" + parent
                + " owner=" + ownerActions + "]";
    }

    /** Builds a {@link Model}; {@link #build()} validates. */
    public static final class Builder {
        private final String name;
        private final List<String> actions = new ArrayList<>();
        private final Map<String, Set<String>> implications = new LinkedHashMap<>();
        private String parent;
        private final Set<String> ownerActions = new LinkedHashSet<>();

        private Builder(String name) {
            this.name = Names.modelName(name);
        }

        /** Declares actions, in order. */
        public Builder actions(String... names) {
            for (String a : names) {
                actions.add(Names.name("action", a));
            }
            return this;
        }

        /** {@code action} implies each of {@code implied}: holding it grants them too. */
        public Builder implies(String action, String... implied) {
            Set<String> set = implications.computeIfAbsent(Names.name("action", action), k -> new LinkedHashSet<>());
            for (String i : implied) {
                set.add(Names.name("action", i));
            }
            return this;
        }

        /** Objects of this model have parents of model {@code parentModel} and inherit their grants. */
        public Builder parent(String parentModel) {
            this.parent = Names.name("parent model", parentModel);
            return this;
        }

        /** The owner rule: the owner of an object may do these actions. */
        public Builder ownerMay(String... names) {
            for (String a : names) {
                ownerActions.add(Names.name("action", a));
            }
            return this;
        }

        public Model build() {
            if (actions.isEmpty()) {
                throw new IllegalArgumentException("model " + name + " declares no action");
            }
            if (actions.size() > MAX_ACTIONS) {
                throw new IllegalArgumentException("model " + name + " declares more than " + MAX_ACTIONS + " actions");
            }
            if (new LinkedHashSet<>(actions).size() != actions.size()) {
                throw new IllegalArgumentException("model " + name + " declares an action twice");
            }
            implications.forEach((a, implied) -> {
                requireDeclared(a);
                implied.forEach(this::requireDeclared);
            });
            ownerActions.forEach(this::requireDeclared);
            return new Model(this);
        }

        private void requireDeclared(String action) {
            if (!actions.contains(action)) {
                throw new IllegalArgumentException("model " + name + " does not declare action " + action);
            }
        }
    }
}
