package io.mediastore.tokens;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to put in a new token. Built with {@link #builder()}; {@link Builder#build()} checks everything
 * that does not depend on the clock, {@link TokenService#issue} checks the lifetime against its maximum.
 */
public final class TokenSpec {
    /** Longest subject in UTF-16 units. */
    public static final int MAX_SUBJECT_LENGTH = 256;
    /** Most actions in one token. */
    public static final int MAX_ACTIONS = 16;

    private final String subject;
    private final Resource resource;
    private final Set<String> actions;
    private final Instant notBefore;
    private final Instant expiresAt;
    private final Duration lifetime;
    private final int maxUses;
    private final Bindings bindings;

    private TokenSpec(Builder b) {
        this.subject = b.subject;
        this.resource = b.resource;
        this.actions = Set.copyOf(b.actions);
        this.notBefore = b.notBefore;
        this.expiresAt = b.expiresAt;
        this.lifetime = b.lifetime;
        this.maxUses = b.maxUses;
        this.bindings = b.bindings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values, for variants. */
    public Builder toBuilder() {
        Builder b = new Builder().subject(subject).resource(resource).maxUses(maxUses).bindings(bindings);
        b.actions.addAll(actions);
        b.notBefore = notBefore;
        b.expiresAt = expiresAt;
        b.lifetime = lifetime;
        return b;
    }

    public String subject() {
        return subject;
    }

    public Resource resource() {
        return resource;
    }

    public Set<String> actions() {
        return actions;
    }

    /** The explicit not-before time, or null for "from issue". */
    public Instant notBefore() {
        return notBefore;
    }

    /** The absolute expiry, or null if {@link #lifetime()} is set. */
    public Instant expiresAt() {
        return expiresAt;
    }

    /** The lifetime from issue, or null if {@link #expiresAt()} is set. */
    public Duration lifetime() {
        return lifetime;
    }

    public int maxUses() {
        return maxUses;
    }

    public Bindings bindings() {
        return bindings;
    }

    static void checkText(String what, String s, int max) {
        Objects.requireNonNull(s, what);
        if (s.isEmpty() || s.length() > max) {
            throw new IllegalArgumentException("a " + what + " has 1 to " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("a " + what + " contains no control characters");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // a lone surrogate has no UTF-8 form: it would come back as '?', a different subject
                throw new IllegalArgumentException("a " + what + " contains no unpaired surrogates");
            }
        }
    }

    static void checkAction(String a) {
        Objects.requireNonNull(a, "action");
        if (a.isEmpty() || a.length() > 32) {
            throw new IllegalArgumentException("an action has 1 to 32 characters");
        }
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == ':')) {
                throw new IllegalArgumentException("an action uses only A-Z a-z 0-9 - _ . :");
            }
        }
    }

    /** Builds a {@link TokenSpec}. Subject, resource, at least one action and an expiry are required. */
    public static final class Builder {
        private String subject;
        private Resource resource;
        private final Set<String> actions = new LinkedHashSet<>();
        private Instant notBefore;
        private Instant expiresAt;
        private Duration lifetime;
        private int maxUses;
        private Bindings bindings = Bindings.none();

        private Builder() {
        }

        /** A user id or a share-link id. */
        public Builder subject(String subject) {
            this.subject = subject;
            return this;
        }

        public Builder resource(Resource resource) {
            this.resource = resource;
            return this;
        }

        /** Adds actions, for example {@code download} or {@code stream}. */
        public Builder actions(String... actions) {
            this.actions.addAll(Arrays.asList(actions));
            return this;
        }

        /** Not valid before this instant (default: from issue). */
        public Builder notBefore(Instant notBefore) {
            this.notBefore = notBefore;
            return this;
        }

        /** Valid for this long from issue; replaces any {@link #expiresAt(Instant)}. */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            this.expiresAt = null;
            return this;
        }

        /** Valid until this instant; replaces any {@link #lifetime(Duration)}. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            this.lifetime = null;
            return this;
        }

        /** At most this many successful verifications; 1 = single use, 0 (default) = no limit. */
        public Builder maxUses(int maxUses) {
            this.maxUses = maxUses;
            return this;
        }

        public Builder bindings(Bindings bindings) {
            this.bindings = Objects.requireNonNull(bindings, "bindings");
            return this;
        }

        public TokenSpec build() {
            checkText("subject", subject, MAX_SUBJECT_LENGTH);
            Objects.requireNonNull(resource, "resource is required");
            if (actions.isEmpty() || actions.size() > MAX_ACTIONS) {
                throw new IllegalArgumentException("a token allows 1 to " + MAX_ACTIONS + " actions");
            }
            actions.forEach(TokenSpec::checkAction);
            if (expiresAt == null && lifetime == null) {
                throw new IllegalArgumentException("an expiry is required: set lifetime(...) or expiresAt(...)");
            }
            if (lifetime != null && (lifetime.isNegative() || lifetime.isZero())) {
                throw new IllegalArgumentException("the lifetime must be positive");
            }
            if (maxUses < 0) {
                throw new IllegalArgumentException("maxUses must be 0 (no limit) or positive");
            }
            if (notBefore != null && expiresAt != null && !notBefore.isBefore(expiresAt)) {
                throw new IllegalArgumentException("notBefore must be before expiresAt");
            }
            return new TokenSpec(this);
        }
    }
}
