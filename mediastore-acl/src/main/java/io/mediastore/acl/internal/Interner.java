package io.mediastore.acl.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.security.SecureRandom;
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
 *
 * <p>The main table hashes with {@link String#hashCode()}, which the string caches, so a lookup does
 * not read the id's characters to hash it. Anyone can make many ids with one {@code hashCode}
 * ("Aa" and "BB" blocks), which would turn lookups into long scans; so at most
 * {@link #MAX_SAME_HASH} keys per hash go into the main table, and the rest into an overflow table
 * hashed over the characters with a random per-instance seed. A lookup reaches the overflow table
 * only after a miss in the main one, and only once it exists.
 */
public final class Interner<K> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    /** Keys with one main-table hash kept in the main table; a legitimate set of ids rarely has two. */
    static final int MAX_SAME_HASH = 8;
    private static final SecureRandom SEEDS = new SecureRandom();

    private static final class Table {
        final Object[] ids;
        /** Per slot, adjacent: spread hash, tag, dense id. */
        final int[] ints;
        final int mask;
        int count;

        Table(int capacity) {
            ids = new Object[capacity];
            ints = new int[3 * capacity];
            mask = capacity - 1;
        }
    }

    private final ToIntFunction<K> tagOf;
    private final Function<K, String> idOf;
    private final long seed = SEEDS.nextLong();
    private volatile Table table = new Table(64);
    /** Keys beyond {@link #MAX_SAME_HASH} per main-table hash, by {@link #seededHash}; null until needed. */
    private volatile Table overflow;
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

    /** Over every character, from a seed the ids' authors cannot know: no ids collide by design. */
    private int seededHash(int tag, String id) {
        long h = seed ^ (tag * 0x9E3779B97F4A7C15L);
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 29;
        }
        h *= 0x94D049BB133111EBL;
        return (int) (h ^ (h >>> 32));
    }

    /** The id of {@code key}, or -1. Lock-free. */
    public int find(K key) {
        int tag = tagOf.applyAsInt(key);
        return tag < 0 ? -1 : find(tag, idOf.apply(key));
    }

    /** The id of the key with this tag and id string, or -1. Lock-free. */
    public int find(int tag, String id) {
        int found = find(table, hash(tag, id), tag, id);
        if (found >= 0) {
            return found;
        }
        Table o = overflow;
        return o == null ? -1 : find(o, seededHash(tag, id), tag, id);
    }

    private static int find(Table t, int h, int tag, String id) {
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
        int h = hash(tag, sid);
        if (sameHash(table, h) < MAX_SAME_HASH) {
            table = add(table, sid, h, tag, id);
        } else {
            Table o = overflow;
            overflow = add(o == null ? new Table(64) : o, sid, seededHash(tag, sid), tag, id);
        }
        size = id + 1;
        return id;
    }

    /** How many keys in {@code t} have main-table hash {@code h}: all sit in the run from its slot. */
    private static int sameHash(Table t, int h) {
        int n = 0;
        for (int i = h & t.mask; t.ids[i] != null; i = (i + 1) & t.mask) {
            if (t.ints[3 * i] == h) {
                n++;
            }
        }
        return n;
    }

    /** Adds to {@code t}, or to a bigger copy that the caller publishes. */
    private static Table add(Table t, Object sid, int h, int tag, int id) {
        if ((t.count + 1) * 2 > t.ids.length) {
            // keep the load at most 1/2: short probe sequences
            Table bigger = new Table(t.ids.length * 2);
            for (int j = 0; j < t.ids.length; j++) {
                if (t.ids[j] != null) {
                    put(bigger, t.ids[j], t.ints[3 * j], t.ints[3 * j + 1], t.ints[3 * j + 2]);
                }
            }
            t = bigger;
        }
        put(t, sid, h, tag, id);
        return t;
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
        t.count++;
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
