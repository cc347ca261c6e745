package io.mediastore.acl.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Append-only mapping of keys to dense ints, shared by successive snapshots: ids are never reused,
 * so an old snapshot stays valid (it only ignores ids beyond its own tables). Writers are serialised
 * by the caller; readers need no lock.
 */
public final class Interner<K> {
    private final ConcurrentHashMap<K, Integer> ids = new ConcurrentHashMap<>();
    private volatile Object[] keys = new Object[64];
    private int size;

    /** The id of {@code key}, or -1. Lock-free. */
    public int find(K key) {
        Integer i = ids.get(key);
        return i == null ? -1 : i;
    }

    /** The id of {@code key}, assigning the next one if new. Writers only. */
    public int intern(K key) {
        Integer i = ids.get(key);
        if (i != null) {
            return i;
        }
        int id = size;
        Object[] k = keys;
        if (id == k.length) {
            k = Arrays.copyOf(k, k.length * 2);
        }
        k[id] = key;
        keys = k;
        size = id + 1;
        ids.put(key, id);
        return id;
    }

    /** The key of an id below the size seen by a published snapshot. */
    @SuppressWarnings("unchecked")
    public K key(int id) {
        return (K) keys[id];
    }

    /** Number of ids assigned (writers, or readers through a snapshot's recorded size). */
    public int size() {
        return size;
    }
}
