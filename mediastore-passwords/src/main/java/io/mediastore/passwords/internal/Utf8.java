package io.mediastore.passwords.internal;

import java.util.Arrays;

/**
 * char[] to UTF-8 without going through String (which would leave an unwipeable copy on the heap).
 */
public final class Utf8 {
    private Utf8() {}

    /** @return the UTF-8 bytes, or {@code null} if {@code chars} holds an unpaired surrogate */
    public static byte[] encode(char[] chars) {
        byte[] out = new byte[chars.length * 3];
        int o = 0;
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            if (c < 0x80) {
                out[o++] = (byte) c;
            } else if (c < 0x800) {
                out[o++] = (byte) (0xC0 | (c >> 6));
                out[o++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 >= chars.length || !Character.isLowSurrogate(chars[i + 1])) {
                    Arrays.fill(out, (byte) 0);
                    return null;
                }
                int cp = Character.toCodePoint(c, chars[++i]);
                out[o++] = (byte) (0xF0 | (cp >> 18));
                out[o++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                out[o++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                out[o++] = (byte) (0x80 | (cp & 0x3F));
            } else if (Character.isLowSurrogate(c)) {
                Arrays.fill(out, (byte) 0);
                return null;
            } else {
                out[o++] = (byte) (0xE0 | (c >> 12));
                out[o++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                out[o++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        byte[] result = Arrays.copyOf(out, o);
        Arrays.fill(out, (byte) 0);
        return result;
    }
}
