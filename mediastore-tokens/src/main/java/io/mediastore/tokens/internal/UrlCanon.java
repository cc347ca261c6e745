package io.mediastore.tokens.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One canonical text for every spelling of a URL path and query, so a URL verifies the same however a
 * browser, proxy or CDN re-encoded it: percent-escapes are decoded to bytes and re-encoded with
 * upper-case hex, only unreserved characters ({@code A-Z a-z 0-9 - . _ ~}) and the path's '/'
 * separators stay literal. {@code %2F} stays encoded (an escaped slash is data, not a separator).
 * In a path '+' is a plus sign; in a query (form encoding) '+' is a space, as servlet containers read it.
 */
public final class UrlCanon {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UrlCanon() {
    }

    /** The canonical form of a raw path; it must start with '/'. */
    public static String path(String raw) {
        if (raw.isEmpty() || raw.charAt(0) != '/') {
            throw new IllegalArgumentException("a URL path starts with '/'");
        }
        StringBuilder sb = new StringBuilder(raw.length() + 16);
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%') {
                int v = hexByte(bytes, i);
                i += 2;
                if (v == '/') {
                    sb.append("%2F");
                } else {
                    append(sb, v, true);
                }
            } else if (b == '?' || b == '#') {
                throw new IllegalArgumentException("a path has no '?' or '#'");
            } else {
                append(sb, b, true);
            }
        }
        return sb.toString();
    }

    /** The canonical query of decoded name/value pairs: sorted by name, then value, '&'-joined. */
    public static String query(List<Map.Entry<String, String>> params) {
        List<String[]> enc = new ArrayList<>(params.size());
        for (Map.Entry<String, String> e : params) {
            enc.add(new String[] {component(e.getKey()), component(e.getValue())});
        }
        enc.sort(Comparator.<String[], String>comparing(a -> a[0]).thenComparing(a -> a[1]));
        StringBuilder sb = new StringBuilder();
        for (String[] a : enc) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(a[0]).append('=').append(a[1]);
        }
        return sb.toString();
    }

    /** Percent-encodes a decoded query name or value canonically. */
    public static String component(String decoded) {
        StringBuilder sb = new StringBuilder(decoded.length() + 8);
        for (byte x : decoded.getBytes(StandardCharsets.UTF_8)) {
            append(sb, x & 0xff, false);
        }
        return sb.toString();
    }

    /** Splits and decodes a raw query string ('+' is a space); empty pieces are skipped. */
    public static List<Map.Entry<String, String>> parseQuery(String raw) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String piece : raw.split("&", -1)) {
            if (piece.isEmpty()) {
                continue;
            }
            int eq = piece.indexOf('=');
            String name = eq < 0 ? piece : piece.substring(0, eq);
            String value = eq < 0 ? "" : piece.substring(eq + 1);
            out.add(Map.entry(decodeForm(name), decodeForm(value)));
        }
        return out;
    }

    private static String decodeForm(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '%') {
                out.write(hexByte(bytes, i));
                i += 2;
            } else if (b == '+') {
                out.write(' ');
            } else {
                out.write(b);
            }
        }
        byte[] d = out.toByteArray();
        String text = new String(d, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), d)) {
            throw new IllegalArgumentException("query parameter is not UTF-8");
        }
        return text;
    }

    private static int hexByte(byte[] b, int i) {
        if (i + 2 >= b.length) {
            throw new IllegalArgumentException("truncated percent-escape");
        }
        int hi = Character.digit(b[i + 1], 16);
        int lo = Character.digit(b[i + 2], 16);
        if (hi < 0 || lo < 0) {
            throw new IllegalArgumentException("bad percent-escape");
        }
        return hi << 4 | lo;
    }

    private static void append(StringBuilder sb, int b, boolean slashLiteral) {
        if (b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
                || b == '-' || b == '.' || b == '_' || b == '~' || slashLiteral && b == '/') {
            sb.append((char) b);
        } else {
            sb.append('%').append(HEX[b >> 4]).append(HEX[b & 15]);
        }
    }
}
