package io.mediastore.acl.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Append-only mapping of keys to dense ints, shared by successive snapshots: ids are never reused,
 * so an old snapshot stays valid (it only ignores ids beyond its own tables). One writer at a time
 * (the caller serialises writers); readers take no lock.
 *
 * <p>An open-addressing table with ints stored unboxed and each key's hash kept beside it, so a
 * lookup touches the probe arrays and one key: a check costs few cache misses. A writer fills a
 * slot's id and hash before publishing its key with release semantics; a reader acquires the key
 * first. Growing builds a new table and publishes it through a volatile field.
 */
public final class Interner<K> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private static final class Table {
        final Object[] keys;
        /** Per slot, adjacent: the key's spread hash and its id (one cache line for both). */
        final int[] hashIds;
        final int mask;

        Table(int capacity) {
            keys = new Object[capacity];
            hashIds = new int[2 * capacity];
            mask = capacity - 1;
        }
    }

    private volatile Table table = new Table(64);
    private volatile Object[] reverse = new Object[64];
    private int size;

    private static int spread(int h) {
        h *= 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The id of {@code key}, or -1. Lock-free. */
    public int find(K key) {
        Table t = table;
        int h = spread(key.hashCode());
        for (int i = h & t.mask; ; i = (i + 1) & t.mask) {
            Object k = SLOT.getAcquire(t.keys, i);
            if (k == null) {
                return -1;
            }
            if (t.hashIds[2 * i] == h && (k == key || k.equals(key))) {
                return t.hashIds[2 * i + 1];
            }
        }
    }

    /** The id of {@code key}, assigning the next one if new. Writers only. */
    public int intern(K key) {
        int found = find(key);
        if (found >= 0) {
            return found;
        }
        int id = size;
        Object[] r = reverse;
        if (id == r.length) {
            r = Arrays.copyOf(r, r.length * 2);
        }
        r[id] = key;
        reverse = r;
        Table t = table;
        if ((id + 1) * 2 > t.keys.length) {
            // keep the load at most 1/2: short probe sequences
            Table bigger = new Table(t.keys.length * 2);
            for (int j = 0; j < t.keys.length; j++) {
                if (t.keys[j] != null) {
                    put(bigger, t.keys[j], t.hashIds[2 * j], t.hashIds[2 * j + 1]);
                }
            }
            put(bigger, key, spread(key.hashCode()), id);
            table = bigger;
        } else {
            put(t, key, spread(key.hashCode()), id);
        }
        size = id + 1;
        return id;
    }

    private static void put(Table t, Object key, int h, int id) {
        int i = h & t.mask;
        while (t.keys[i] != null) {
            i = (i + 1) & t.mask;
        }
        t.hashIds[2 * i] = h;
        t.hashIds[2 * i + 1] = id;
        SLOT.setRelease(t.keys, i, key);
    }

    /** The key of an id below the size seen by a published snapshot. */
    @SuppressWarnings("unchecked")
    public K key(int id) {
        return (K) reverse[id];
    }

    /** Number of ids assigned (writers, or readers through a snapshot's recorded size). */
    public int size() {
        return size;
    }
}
