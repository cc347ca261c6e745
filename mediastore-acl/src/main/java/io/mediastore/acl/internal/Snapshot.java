package io.mediastore.acl.internal;

import io.mediastore.acl.ObjectRef;
import io.mediastore.acl.Principal;

import java.util.Map;

/**
 * One immutable state of the policy, published through a volatile field and replaced as a whole on
 * change (copy-on-write), so checks take no lock. Tables are indexed by the dense ids of the shared
 * {@link Interner}s; ids at or beyond {@link #objectCount}/{@link #principalCount} are unknown here.
 */
public final class Snapshot {
    static final int[] NONE = new int[0];

    public final long version;
    public final CompiledSchema schema;
    public final Interner<Principal> principals;
    public final Interner<ObjectRef> objects;
    public final int principalCount;
    public final int objectCount;
    /** Per principal id: sorted ids of itself and every group and role it is in (transitively). */
    final int[][] subjects;
    /** Direct memberships, for explanations. */
    public final Map<Principal, Principal[]> memberOf;
    /**
     * Per object id, two adjacent ints (one cache line serves the walk): the parent id or -1, and
     * (owner principal id + 1) &lt;&lt; 1 | inheritance-blocked bit.
     */
    final int[] nodes;
    /** Per object id: packed entries ({@link Entry#hot}) sorted by subject, or null. */
    final long[][] hot;
    /** Per object id: the entries, in the same order as {@link #hot}. */
    final Entry[][] cold;
    /** Per model index: whole-model entries sorted by subject, packed and full. */
    final long[][] modelHot;
    final Entry[][] modelCold;
    /** The schema's mask table as of this snapshot: mask id * modelCount + model index. */
    final long[] maskTable;
    final int modelCount;
    public final int grantCount;

    Snapshot(long version, CompiledSchema schema, Interner<Principal> principals, Interner<ObjectRef> objects,
             int principalCount, int objectCount, int[][] subjects, Map<Principal, Principal[]> memberOf,
             int[] nodes, long[][] hot, Entry[][] cold, long[][] modelHot, Entry[][] modelCold, int grantCount) {
        this.version = version;
        this.schema = schema;
        this.principals = principals;
        this.objects = objects;
        this.principalCount = principalCount;
        this.objectCount = objectCount;
        this.subjects = subjects;
        this.memberOf = memberOf;
        this.nodes = nodes;
        this.hot = hot;
        this.cold = cold;
        this.modelHot = modelHot;
        this.modelCold = modelCold;
        this.maskTable = schema.maskTable();
        this.modelCount = schema.modelInfos.length;
        this.grantCount = grantCount;
    }

    /** The sorted subject ids of a principal (empty if the policy has never seen it). */
    public int[] subjectsOf(Principal p) {
        int id = principals.find(p.kind().ordinal(), p.id());
        if (id < 0 || id >= principalCount) {
            return NONE;
        }
        return subjects[id];
    }

    public int objectId(ObjectRef ref) {
        int id = objects.find(ref);
        return id < objectCount ? id : -1;
    }

    /** The object id of {@code ref} whose model has index {@code modelIndex} (already resolved by the caller). */
    public int objectId(ObjectRef ref, int modelIndex) {
        int id = objects.find(modelIndex, ref.id());
        return id < objectCount ? id : -1;
    }

    public int parentOf(int object) {
        return nodes[2 * object];
    }

    public int ownerOf(int object) {
        return (nodes[2 * object + 1] >> 1) - 1;
    }

    public boolean blocksInheritance(int object) {
        return (nodes[2 * object + 1] & 1) != 0;
    }

    /** Whether sorted {@code subjects} contains {@code id}; the arrays are tiny, so a scan beats a search. */
    public static boolean contains(int[] subjects, int id) {
        for (int s : subjects) {
            if (s == id) {
                return true;
            }
            if (s > id) {
                return false;
            }
        }
        return false;
    }
}
