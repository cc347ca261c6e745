package io.mediastore.acl;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * An allow or a deny, to a user, group or role, of some actions or of a role's permissions, on one
 * object, on an object and its descendants, or on every object of a model; optionally valid only in a
 * window {@code [notBefore, notAfter)} (millisecond precision), so that a share ends by itself.
 *
 * <p>Precedence: a deny that applies always wins over any allow. A deny of an action also denies every
 * action that implies it (denying {@code view} denies {@code edit} when {@code edit} implies {@code view});
 * a deny of a role denies the permissions the role and its ancestors list, in the same way.
 *
 * <pre>{@code
 * Grant share = Grant.allow().to(Principal.user("bob")).actions("view").on(ObjectRef.of("Asset", "42"))
 *     .notAfter(Instant.parse("2027-01-01T00:00:00Z")).build();
 * }</pre>
 */
public final class Grant {

    /** Allow or deny. */
    public enum Effect { ALLOW, DENY }

    /** What a grant covers. */
    public enum Scope {
        /** The target object only. */
        OBJECT,
        /** The target object and all its descendants (unless a descendant blocks inheritance). */
        TREE,
        /** Every object of the target model. */
        MODEL
    }

    private final String id;
    private final Effect effect;
    private final Principal subject;
    private final Scope scope;
    private final String model;
    private final String objectId;
    private final Set<String> actions;
    private final String role;
    private final Instant notBefore;
    private final Instant notAfter;

    private Grant(Builder b) {
        this.id = b.id != null ? b.id : UUID.randomUUID().toString();
        this.effect = b.effect;
        this.subject = b.subject;
        this.scope = b.scope;
        this.model = b.model;
        this.objectId = b.objectId;
        // one action is the common case: an immutable singleton costs a fraction of a LinkedHashSet
        this.actions = b.actions.size() == 1 ? Set.of(b.actions.iterator().next())
                : Collections.unmodifiableSet(new LinkedHashSet<>(b.actions));
        this.role = b.role;
        this.notBefore = b.notBefore;
        this.notAfter = b.notAfter;
    }

    /** Starts an allow. */
    public static Builder allow() {
        return new Builder(Effect.ALLOW);
    }

    /** Starts a deny. */
    public static Builder deny() {
        return new Builder(Effect.DENY);
    }

    /** A copy builder, for variants. */
    public Builder toBuilder() {
        Builder b = new Builder(effect);
        b.id = id;
        b.subject = subject;
        b.scope = scope;
        b.model = model;
        b.objectId = objectId;
        b.actions.addAll(actions);
        b.role = role;
        b.notBefore = notBefore;
        b.notAfter = notAfter;
        return b;
    }

    /** The grant's id (given, or a random UUID), used to revoke it. */
    public String id() {
        return id;
    }

    public Effect effect() {
        return effect;
    }

    public Principal subject() {
        return subject;
    }

    public Scope scope() {
        return scope;
    }

    /** The target model (for every scope). */
    public String model() {
        return model;
    }

    /** The target object, absent for {@link Scope#MODEL}. */
    public Optional<ObjectRef> target() {
        return objectId == null ? Optional.empty() : Optional.of(new ObjectRef(model, objectId));
    }

    /** The granted or denied actions; empty when the grant carries a {@link #role()}. */
    public Set<String> actions() {
        return actions;
    }

    /** The granted or denied role's permissions, if the grant carries a role instead of actions. */
    public Optional<String> role() {
        return Optional.ofNullable(role);
    }

    public Optional<Instant> notBefore() {
        return Optional.ofNullable(notBefore);
    }

    /** The first instant at which the grant no longer applies. */
    public Optional<Instant> notAfter() {
        return Optional.ofNullable(notAfter);
    }

    /** Whether the validity window contains {@code now}. */
    public boolean validAt(Instant now) {
        return (notBefore == null || !now.isBefore(notBefore)) && (notAfter == null || now.isBefore(notAfter));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Grant g && id.equals(g.id) && effect == g.effect && subject.equals(g.subject)
                && scope == g.scope && model.equals(g.model) && Objects.equals(objectId, g.objectId)
                && actions.equals(g.actions) && Objects.equals(role, g.role)
                && Objects.equals(notBefore, g.notBefore) && Objects.equals(notAfter, g.notAfter);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, effect, subject, scope, model, objectId, actions, role, notBefore, notAfter);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        b.append(effect == Effect.ALLOW ? "allow " : "deny ").append(id).append(' ').append(subject).append(' ');
        b.append(role != null ? "role " + role : "actions " + String.join(",", actions));
        switch (scope) {
            case OBJECT -> b.append(" on ").append(model).append(':').append(objectId);
            case TREE -> b.append(" on ").append(model).append(':').append(objectId).append(" and descendants");
            case MODEL -> b.append(" on every ").append(model);
        }
        if (notBefore != null) {
            b.append(" from ").append(notBefore);
        }
        if (notAfter != null) {
            b.append(" until ").append(notAfter);
        }
        return b.toString();
    }

    /** Builds a {@link Grant}; {@link #build()} validates. */
    public static final class Builder {
        private final Effect effect;
        private String id;
        private Principal subject;
        private Scope scope;
        private String model;
        private String objectId;
        private final Set<String> actions = new LinkedHashSet<>();
        private String role;
        private Instant notBefore;
        private Instant notAfter;

        private Builder(Effect effect) {
            this.effect = effect;
        }

        /** A stable id; without one a random UUID is used. */
        public Builder id(String id) {
            this.id = Names.id("grant id", id);
            return this;
        }

        public Builder to(Principal subject) {
            this.subject = Objects.requireNonNull(subject, "subject");
            return this;
        }

        public Builder actions(String... names) {
            for (String a : names) {
                actions.add(Names.name("action", a));
            }
            return this;
        }

        /** Grants (or denies) the permissions of a role instead of listed actions. */
        public Builder role(String roleName) {
            this.role = Names.name("role name", roleName);
            return this;
        }

        /** On one object. */
        public Builder on(ObjectRef object) {
            return target(Scope.OBJECT, object);
        }

        /** On an object and its descendants. */
        public Builder onTree(ObjectRef root) {
            return target(Scope.TREE, root);
        }

        /** On every object of a model. */
        public Builder onModel(String modelName) {
            this.scope = Scope.MODEL;
            this.model = Names.name("model name", modelName);
            this.objectId = null;
            return this;
        }

        private Builder target(Scope s, ObjectRef ref) {
            Objects.requireNonNull(ref, "object");
            this.scope = s;
            this.model = ref.model();
            this.objectId = ref.id();
            return this;
        }

        /** @throws IllegalArgumentException if the instant has no epoch-millisecond value (see {@link #notAfter}) */
        public Builder notBefore(Instant instant) {
            this.notBefore = millis("notBefore", instant);
            return this;
        }

        /**
         * @throws IllegalArgumentException if the instant has no epoch-millisecond value (more than
         *         about 292 million years from 1970): windows are kept and stored in milliseconds
         */
        public Builder notAfter(Instant instant) {
            this.notAfter = millis("notAfter", instant);
            return this;
        }

        private static Instant millis(String what, Instant instant) {
            if (instant == null) {
                return null;
            }
            Instant t = instant.truncatedTo(ChronoUnit.MILLIS);
            try {
                t.toEpochMilli();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(what + " " + instant + " is outside the epoch-millisecond range");
            }
            return t;
        }

        public Grant build() {
            if (subject == null) {
                throw new IllegalArgumentException("grant needs a subject: to(principal)");
            }
            if (scope == null) {
                throw new IllegalArgumentException("grant needs a target: on, onTree or onModel");
            }
            if (actions.isEmpty() == (role == null)) {
                throw new IllegalArgumentException("grant needs either actions or a role, not both");
            }
            if (notBefore != null && notAfter != null && !notBefore.isBefore(notAfter)) {
                throw new IllegalArgumentException("grant window is empty: notBefore must be before notAfter");
            }
            return new Grant(this);
        }
    }
}
