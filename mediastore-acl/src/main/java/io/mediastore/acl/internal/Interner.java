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
 * <p>The table hashes with {@link String#hashCode()}, which the string caches, so a lookup does not
 * read the id's characters to hash it. Anyone can make many ids whose hashes share a slot ("Aa" and
 * "BB" blocks give equal hash codes; the mixing steps can be inverted too), which would turn lookups
 * into long scans, for the keys in them and for every miss that starts there. So once a key lands in a
 * run of more than {@link #MAX_RUN} occupied slots, the table is rebuilt to hash over the characters
 * with a random per-instance seed, which ids cannot be made to collide under. Ordinary ids never
 * trigger it: at the load kept (at most 1/2) runs are a few slots long.
 */
public final class Interner<K> {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    /** The longest run of occupied slots a key may land in before the table switches to the seeded hash. */
    static final int MAX_RUN = 64;
    private static final SecureRandom SEEDS = new SecureRandom();

    private static final class Table {
        final Object[] ids;
        /** Per slot, adjacent: spread hash, tag, dense id. */
        final int[] ints;
        final int mask;
        /** Whether this table hashes with the seeded hash instead of {@link String#hashCode()}. */
        final boolean seeded;
        int count;

        Table(int capacity, boolean seeded) {
            ids = new Object[capacity];
            ints = new int[3 * capacity];
            mask = capacity - 1;
            this.seeded = seeded;
        }
    }

    private final ToIntFunction<K> tagOf;
    private final Function<K, String> idOf;
    private final long seed = SEEDS.nextLong();
    private volatile Table table = new Table(64, false);
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

    private int hash(Table t, int tag, String id) {
        if (t.seeded) {
            // over every character, from a seed the ids' authors cannot know
            long h = seed ^ (tag * 0x9E3779B97F4A7C15L);
            for (int i = 0; i < id.length(); i++) {
                h = (h ^ id.charAt(i)) * 0xBF58476D1CE4E5B9L;
                h ^= h >>> 29;
            }
            h *= 0x94D049BB133111EBL;
            return (int) (h ^ (h >>> 32));
        }
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
        int h = hash(t, tag, id);
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
        if ((t.count + 1) * 2 > t.ids.length) {
            // keep the load at most 1/2: short probe sequences
            t = rebuild(t, t.ids.length * 2, t.seeded);
        }
        if (!put(t, sid, hash(t, tag, sid), tag, id) && !t.seeded) {
            // a long run: ids made to collide under String.hashCode; the seeded hash spreads them (the new key
            // is in t already, so the rebuilt table has it too)
            t = rebuild(t, t.ids.length, true);
        }
        table = t;
        size = id + 1;
        return id;
    }

    /**
     * A new table of this capacity holding every key of {@code t}, under the seeded hash if asked or if the keys
     * form a long run under the plain one; the caller publishes it.
     */
    private Table rebuild(Table t, int capacity, boolean seeded) {
        Table bigger = new Table(capacity, seeded);
        boolean longRun = false;
        for (int j = 0; j < t.ids.length; j++) {
            if (t.ids[j] != null) {
                String sid = (String) t.ids[j];
                int tag = t.ints[3 * j + 1];
                longRun |= !put(bigger, sid, seeded == t.seeded ? t.ints[3 * j] : hash(bigger, tag, sid), tag, t.ints[3 * j + 2]);
            }
        }
        return longRun && !seeded ? rebuild(t, capacity, true) : bigger;
    }

    /** Adds to {@code t}; returns whether the run of occupied slots the key landed in is at most {@link #MAX_RUN}. */
    private static boolean put(Table t, Object sid, int h, int tag, int id) {
        int i = h & t.mask;
        while (t.ids[i] != null) {
            i = (i + 1) & t.mask;
        }
        t.ints[3 * i] = h;
        t.ints[3 * i + 1] = tag;
        t.ints[3 * i + 2] = id;
        SLOT.setRelease(t.ids, i, sid);
        t.count++;
        // the whole run counts, not the probe: keys each in their own slot can still line up into one, which
        // every miss starting in it scans (looked at only up to the limit, so this stays cheap)
        int run = 1;
        for (int j = (i - 1) & t.mask; run <= MAX_RUN && t.ids[j] != null; j = (j - 1) & t.mask) {
            run++;
        }
        for (int j = (i + 1) & t.mask; run <= MAX_RUN && t.ids[j] != null; j = (j + 1) & t.mask) {
            run++;
        }
        return run <= MAX_RUN;
    }

    /** Whether the table hashes with the seeded hash (for tests). */
    boolean hashesWithSeed() {
        return table.seeded;
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
