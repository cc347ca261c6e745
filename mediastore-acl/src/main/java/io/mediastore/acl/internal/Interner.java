package io.mediastore.acl.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * Append-only mapping of keys to dense ints, shared by successive snapshots: ids are never reused,
 * so an old snapshot stays valid (it only ignores ids beyond its own tables). One writer at a time
 * (the caller serialises writers); readers take no lock.
 *
 * <p>A key is seen as a small int tag (a model index, a principal kind) and an id string. The table
 * is open-addressing with, per slot, the hash, tag and dense id stored unboxed side by side and the
 * id string as the only object: a lookup touches the int array, one slot and one string, so a check
 * costs few cache misses. A writer fills a slot's ints before publishing its string with release
 * semantics; a reader acquires the string first. Growing builds a new table and publishes it through
 * a volatile field.
 */
public final class Interner<K> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    private static final class Table {
        final Object[] ids;
        /** Per slot, adjacent: spread hash, tag, dense id. */
        final int[] ints;
        final int mask;

        Table(int capacity) {
            ids = new Object[capacity];
            ints = new int[3 * capacity];
            mask = capacity - 1;
        }
    }

    private final ToIntFunction<K> tagOf;
    private final Function<K, String> idOf;
    private volatile Table table = new Table(64);
    private volatile Object[] reverse = new Object[64];
    private int size;

    /**
     * @param tagOf the key's tag, non-negative; -1 for keys that can never be present
     * @param idOf  the key's id string
     */
    public Interner(ToIntFunction<K> tagOf, Function<K, String> idOf) {
        this.tagOf = tagOf;
        this.idOf = idOf;
    }

    private static int hash(int tag, String id) {
        int h = (id.hashCode() * 31 + tag) * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /** The id of {@code key}, or -1. Lock-free. */
    public int find(K key) {
        int tag = tagOf.applyAsInt(key);
        return tag < 0 ? -1 : find(tag, idOf.apply(key));
    }

    /** The id of the key with this tag and id string, or -1. Lock-free. */
    public int find(int tag, String id) {
        Table t = table;
        int h = hash(tag, id);
        int[] ints = t.ints;
        for (int i = h & t.mask; ; i = (i + 1) & t.mask) {
            Object k = SLOT.getAcquire(t.ids, i);
            if (k == null) {
                return -1;
            }
            if (ints[3 * i] == h && ints[3 * i + 1] == tag && (k == id || k.equals(id))) {
                return ints[3 * i + 2];
            }
        }
    }

    /** The id of {@code key}, assigning the next one if new. Writers only. */
    public int intern(K key) {
        int tag = tagOf.applyAsInt(key);
        if (tag < 0) {
            throw new IllegalArgumentException("cannot intern " + key);
        }
        String sid = idOf.apply(key);
        int found = find(tag, sid);
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
        if ((id + 1) * 2 > t.ids.length) {
            // keep the load at most 1/2: short probe sequences
            Table bigger = new Table(t.ids.length * 2);
            for (int j = 0; j < t.ids.length; j++) {
                if (t.ids[j] != null) {
                    put(bigger, t.ids[j], t.ints[3 * j], t.ints[3 * j + 1], t.ints[3 * j + 2]);
                }
            }
            put(bigger, sid, hash(tag, sid), tag, id);
            table = bigger;
        } else {
            put(t, sid, hash(tag, sid), tag, id);
        }
        size = id + 1;
        return id;
    }

    private static void put(Table t, Object sid, int h, int tag, int id) {
        int i = h & t.mask;
        while (t.ids[i] != null) {
            i = (i + 1) & t.mask;
        }
        t.ints[3 * i] = h;
        t.ints[3 * i + 1] = tag;
        t.ints[3 * i + 2] = id;
        SLOT.setRelease(t.ids, i, sid);
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
