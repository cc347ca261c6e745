package io.mediastore.acl;

/**
 * Who asks or who is granted: a user, a group or a role. Written {@code user:alice},
 * {@code group:staff}, {@code role:editor}.
 *
 * @param kind what the principal is
 * @param id   the user or group id (any text without control characters), or the role name
 */
public record Principal(Kind kind, String id) {

    /** The three kinds of principal. */
    public enum Kind {
        USER("user"), GROUP("group"), ROLE("role");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The prefix used in the textual form, e.g. {@code user}. */
        public String prefix() {
            return prefix;
        }
    }

    public Principal {
        if (kind == null) {
            throw new IllegalArgumentException("kind must not be null");
        }
        if (kind == Kind.ROLE) {
            Names.name("role name", id);
        } else {
            Names.id(kind.prefix + " id", id);
        }
    }

    public static Principal user(String id) {
        return new Principal(Kind.USER, id);
    }

    public static Principal group(String id) {
        return new Principal(Kind.GROUP, id);
    }

    public static Principal role(String name) {
        return new Principal(Kind.ROLE, name);
    }

    /** Parses {@code user:alice}, {@code group:staff} or {@code role:editor}. */
    public static Principal parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("principal must not be null");
        }
        int colon = text.indexOf(':');
        if (colon > 0) {
            String prefix = text.substring(0, colon);
            for (Kind k : Kind.values()) {
                if (k.prefix.equals(prefix)) {
                    return new Principal(k, text.substring(colon + 1));
                }
            }
        }
        throw new IllegalArgumentException("principal must be user:<id>, group:<id> or role:<name>: '"
                + Names.printable(text) + "'");
    }

    @Override
    public String toString() {
        return kind.prefix + ":" + id;
    }
}
