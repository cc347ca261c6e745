package io.mediastore.acl.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The interner's defence against ids made to line up in its table; its id makers serve other tests too. */
public class InternerTest {
    static Interner<String> interner() {
        return new Interner<>(k -> 0, k -> k);
    }

    /** The String.hashCode whose plain interner hash is {@code h} for {@code tag}: its mixing steps inverted. */
    public static int hashCodeFor(int h, int tag) {
        int x = h ^ (h >>> 16);
        return (x * oddInverse(0x9E3779B9) - tag) * oddInverse(31);
    }

    private static int oddInverse(int a) {
        int x = a;
        for (int i = 0; i < 5; i++) {
            x *= 2 - a * x;
        }
        return x;
    }

    /** A 7-character id of CJK letters with this String.hashCode. */
    public static String withHashCode(int target) {
        char[] cs = new char[7];
        java.util.Arrays.fill(cs, '\u4E00');
        long delta = Integer.toUnsignedLong(target - new String(cs).hashCode());
        long p = 887_503_681L; // 31^6
        for (int i = 0; i < 7; i++) {
            cs[i] = (char) ('\u4E00' + delta / p);
            delta %= p;
            p /= 31;
        }
        String s = new String(cs);
        assertEquals(target, s.hashCode());
        return s;
    }

    @Test
    void idsLinedUpInConsecutiveSlotsSwitchTheTableToTheSeededHash() {
        // each id has its own home slot, so no insertion probes at all, yet together they form one run that every
        // miss starting in it would scan
        Interner<String> in = interner();
        List<String> ids = new ArrayList<>();
        for (int k = 1; k <= 4096; k++) {
            ids.add(withHashCode(hashCodeFor(k, 0)));
        }
        for (String id : ids) {
            in.intern(id);
        }
        assertTrue(in.hashesWithSeed());
        for (int i = 0; i < ids.size(); i++) {
            assertEquals(i, in.find(0, ids.get(i)), "every key is still found after the switch");
        }
        assertEquals(-1, in.find(0, withHashCode(hashCodeFor(1 | 1 << 30, 0))));
    }

    @Test
    void ordinaryIdsKeepTheCachedHashCode() {
        Interner<String> in = interner();
        for (int i = 0; i < 200_000; i++) {
            in.intern("user-" + i);
        }
        for (int i = 0; i < 50_000; i++) {
            in.intern(java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)}).toString());
        }
        assertFalse(in.hashesWithSeed());
        assertEquals(250_000, in.size());
    }
}
