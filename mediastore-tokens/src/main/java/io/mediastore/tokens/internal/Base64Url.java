package io.mediastore.tokens.internal;

/**
 * Strict unpadded base64url (RFC 4648 section 5) that decodes a region of a String into a caller's
 * buffer: no substring, no fresh array on the verify path. Padding, foreign characters, impossible
 * lengths and non-zero trailing bits are all refused, so every byte string has exactly one encoding.
 */
public final class Base64Url {
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final byte[] VALUES = new byte[128];

    static {
        java.util.Arrays.fill(VALUES, (byte) -1);
        for (int i = 0; i < ALPHABET.length; i++) {
            VALUES[ALPHABET[i]] = (byte) i;
        }
    }

    private Base64Url() {
    }

    /** Decoded size of {@code chars} characters, or -1 if no valid encoding has that length. */
    public static int decodedLength(int chars) {
        if (chars < 0 || chars % 4 == 1) {
            return -1;
        }
        return chars / 4 * 3 + (chars % 4 == 0 ? 0 : chars % 4 - 1);
    }

    /**
     * Decodes {@code s[from, to)} into {@code out} at {@code outOff}.
     *
     * @return the number of bytes written, or -1 if the region is not canonical unpadded base64url
     *         or does not fit
     */
    public static int decode(CharSequence s, int from, int to, byte[] out, int outOff) {
        int n = to - from;
        int len = decodedLength(n);
        if (len < 0 || outOff + len > out.length) {
            return -1;
        }
        int o = outOff;
        int i = from;
        int fullEnd = from + n / 4 * 4;
        while (i < fullEnd) {
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            int c = value(s.charAt(i + 2));
            int d = value(s.charAt(i + 3));
            if ((a | b | c | d) < 0) {
                return -1;
            }
            int v = a << 18 | b << 12 | c << 6 | d;
            out[o] = (byte) (v >> 16);
            out[o + 1] = (byte) (v >> 8);
            out[o + 2] = (byte) v;
            o += 3;
            i += 4;
        }
        int rest = to - i;
        if (rest == 2) {
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            if ((a | b) < 0 || (b & 0x0f) != 0) {
                return -1;
            }
            out[o++] = (byte) (a << 2 | b >> 4);
        } else if (rest == 3) {
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            int c = value(s.charAt(i + 2));
            if ((a | b | c) < 0 || (c & 0x03) != 0) {
                return -1;
            }
            out[o++] = (byte) (a << 2 | b >> 4);
            out[o++] = (byte) (b << 4 | c >> 2);
        }
        return o - outOff;
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    /** Decodes a whole string into a new array, or returns null if it is not canonical base64url. */
    public static byte[] decode(CharSequence s) {
        int len = decodedLength(s.length());
        if (len < 0) {
            return null;
        }
        byte[] out = new byte[len];
        return decode(s, 0, s.length(), out, 0) == len ? out : null;
    }

    /** Appends the unpadded base64url encoding of {@code data[off, off+len)}. */
    public static StringBuilder encode(byte[] data, int off, int len, StringBuilder sb) {
        int i = off;
        int end = off + len;
        while (end - i >= 3) {
            int v = (data[i] & 0xff) << 16 | (data[i + 1] & 0xff) << 8 | data[i + 2] & 0xff;
            sb.append(ALPHABET[v >>> 18]).append(ALPHABET[v >>> 12 & 63]).append(ALPHABET[v >>> 6 & 63])
                    .append(ALPHABET[v & 63]);
            i += 3;
        }
        if (end - i == 1) {
            int v = data[i] & 0xff;
            sb.append(ALPHABET[v >>> 2]).append(ALPHABET[v << 4 & 63]);
        } else if (end - i == 2) {
            int v = (data[i] & 0xff) << 8 | data[i + 1] & 0xff;
            sb.append(ALPHABET[v >>> 10]).append(ALPHABET[v >>> 4 & 63]).append(ALPHABET[v << 2 & 63]);
        }
        return sb;
    }

    public static String encode(byte[] data) {
        return encode(data, 0, data.length, new StringBuilder(data.length * 4 / 3 + 3)).toString();
    }
}
