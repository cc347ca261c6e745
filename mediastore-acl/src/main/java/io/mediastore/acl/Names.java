package io.mediastore.acl;

import java.util.regex.Pattern;

/** Validation rules for the names and ids used in policies (package-private helper). */
final class Names {
    /** Models, actions and roles: identifiers, so that policy files and logs stay readable. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,63}");
    static final int MAX_ID_LENGTH = 256;

    private Names() {
    }

    static String name(String what, String s) {
        if (s == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (!NAME.matcher(s).matches()) {
            throw new IllegalArgumentException(what + " must match [A-Za-z][A-Za-z0-9_-]{0,63}: '" + printable(s) + "'");
        }
        return s;
    }

    /**
     * A model name that a policy file can write back unambiguously: in a {@code role} line,
     * {@code inherits=...} is the inheritance, so a permission on a model called {@code inherits}
     * would read back as inheriting roles.
     */
    static String modelName(String s) {
        name("model name", s);
        if (s.equals("inherits")) {
            throw new IllegalArgumentException("model name 'inherits' is reserved: a role line's inherits= names inherited roles");
        }
        return s;
    }

    /** Principal, object and grant ids: any text of 1 to 256 chars without control characters. */
    static String id(String what, String s) {
        if (s == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (s.isEmpty() || s.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException(what + " must have 1 to " + MAX_ID_LENGTH + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw new IllegalArgumentException(what + " must not contain control characters");
            }
        }
        return s;
    }

    /** For messages: never echo control characters or unbounded text. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }
}
