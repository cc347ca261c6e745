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
    /** Per object id: parent object id or -1. */
    final int[] parent;
    /** Per object id: owner principal id or -1. */
    final int[] owner;
    final boolean[] blocked;
    /** Per object id: entries sorted by subject, or null. */
    final Entry[][] grants;
    /** Per model index: whole-model entries sorted by subject. */
    final Entry[][] modelGrants;
    public final int grantCount;

    Snapshot(long version, CompiledSchema schema, Interner<Principal> principals, Interner<ObjectRef> objects,
             int principalCount, int objectCount, int[][] subjects, Map<Principal, Principal[]> memberOf,
             int[] parent, int[] owner, boolean[] blocked, Entry[][] grants, Entry[][] modelGrants, int grantCount) {
        this.version = version;
        this.schema = schema;
        this.principals = principals;
        this.objects = objects;
        this.principalCount = principalCount;
        this.objectCount = objectCount;
        this.subjects = subjects;
        this.memberOf = memberOf;
        this.parent = parent;
        this.owner = owner;
        this.blocked = blocked;
        this.grants = grants;
        this.modelGrants = modelGrants;
        this.grantCount = grantCount;
    }

    /** The sorted subject ids of a principal (empty if the policy has never seen it). */
    public int[] subjectsOf(Principal p) {
        int id = principals.find(p);
        if (id < 0 || id >= principalCount) {
            return NONE;
        }
        return subjects[id];
    }

    public int objectId(ObjectRef ref) {
        int id = objects.find(ref);
        return id < objectCount ? id : -1;
    }

    public int parentOf(int object) {
        return parent[object];
    }

    public int ownerOf(int object) {
        return owner[object];
    }

    public boolean blocksInheritance(int object) {
        return blocked[object];
    }

    public Entry[] grantsOn(int object) {
        return grants[object];
    }

    public Entry[] modelGrants(int modelIndex) {
        return modelGrants[modelIndex];
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
