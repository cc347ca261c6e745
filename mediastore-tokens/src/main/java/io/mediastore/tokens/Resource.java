package io.mediastore.tokens;

import java.util.Objects;

/**
 * What a token covers: one exact resource id ({@code asset/123/original}) or every resource under a
 * path prefix ({@code video/123/hls/}, so one token covers a playlist, its segments and its keys).
 *
 * @param value  the resource id or the prefix
 * @param prefix whether {@code value} is a prefix
 */
public record Resource(String value, boolean prefix) {
    /** Longest resource in UTF-16 units; tokens are meant for URLs. */
    public static final int MAX_LENGTH = 1024;

    public Resource {
        Objects.requireNonNull(value, "value");
        if (value.isEmpty() || value.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("a resource has 1 to " + MAX_LENGTH + " characters");
        }
        TokenSpec.checkText("resource", value, MAX_LENGTH);
        if (prefix && value.charAt(value.length() - 1) != '/') {
            // without the slash, "asset/1" would also cover "asset/10"
            throw new IllegalArgumentException("a resource prefix ends with '/'");
        }
        if (hasDotSegment(value, 0)) {
            throw new IllegalArgumentException("a resource contains no '.' or '..' segments");
        }
    }

    /** Exactly this resource. */
    public static Resource exact(String id) {
        return new Resource(id, false);
    }

    /** Every resource whose id starts with this prefix (which must end with '/'). */
    public static Resource prefix(String prefix) {
        return new Resource(prefix, true);
    }

    /**
     * Whether a request for {@code requested} falls under this resource. A prefix never covers a
     * path that climbs out of it with {@code ..} (also percent-encoded) segments, nor one whose part
     * under the prefix holds what some server could read as a separator and so hide a {@code ..}.
     * The whole string counts: a resource id is not a URL, and a {@code '?'} in it may be a decoded
     * {@code %3F} that a server resolving the path reads as part of it.
     */
    public boolean covers(String requested) {
        if (!prefix) {
            return value.equals(requested);
        }
        return requested.startsWith(value) && !hasDotSegment(requested, value.length())
                && !hidesSeparator(requested, value.length());
    }

    /**
     * Whether the path from {@code from} on holds {@code '\'}, {@code ';'} or an escaped
     * {@code '/'}, {@code '\'} or {@code ';'}. Tomcat reads {@code ..;/} as {@code ../}, IIS and some proxies
     * take {@code '\'} and {@code %5C} for {@code '/'}, others decode {@code %2F}: behind any of them such a
     * path could leave the prefix.
     */
    static boolean hidesSeparator(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == ';') {
                return true;
            }
            if (c == '%' && i + 3 <= s.length() && (s.regionMatches(true, i, "%2f", 0, 3)
                    || s.regionMatches(true, i, "%5c", 0, 3) || s.regionMatches(true, i, "%3b", 0, 3))) {
                return true;
            }
        }
        return false;
    }

    static boolean hasDotSegment(String s, int from) {
        int start = from;
        int n = s.length();
        for (int i = from; i <= n; i++) {
            if (i == n || s.charAt(i) == '/' || s.charAt(i) == '?') {
                // '?' ends a segment too ("a/..?x"), but not the check: the id may be a decoded path
                if (isDots(s, start, i)) {
                    return true;
                }
                start = i + 1;
            } else if (s.charAt(i) == '\\') {
                return true; // some servers treat '\' as a separator: never let it hide a "..\"
            }
        }
        return false;
    }

    private static boolean isDots(String s, int from, int to) {
        int dots = 0;
        int i = from;
        while (i < to) {
            if (s.charAt(i) == '.') {
                i++;
            } else if (i + 3 <= to && s.regionMatches(true, i, "%2e", 0, 3)) {
                i += 3;
            } else {
                return false;
            }
            dots++;
        }
        return dots == 1 || dots == 2;
    }
}
