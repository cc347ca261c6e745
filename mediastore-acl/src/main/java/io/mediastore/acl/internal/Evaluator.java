package io.mediastore.acl.internal;

import java.time.Clock;

/**
 * The check itself, on one snapshot: walk from the object up its ancestors (stopping where
 * inheritance is blocked), then the model's whole-model grants; a matching deny ends the walk at
 * once, the first matching allow is remembered, the owner rule applies on the object itself.
 * Allocation-free; reads the clock only when a windowed grant matches everything else.
 */
public final class Evaluator {
    private static final long NO_TIME = Long.MIN_VALUE;
    /** Above this many entries on one object, look subjects up by binary search instead of a scan. */
    private static final int SCAN_LIMIT = 16;

    private Evaluator() {
    }

    /**
     * Returns the deciding deny entry, else the first allow entry, else {@link Entry#OWNER}, else null.
     * When {@code at} is non-null, {@code at[0]} receives the object id holding the entry (-1 for a
     * whole-model grant).
     */
    public static Entry evaluate(Snapshot s, int[] subj, CompiledSchema.ModelInfo m, long want, int object,
                                 Clock clock, int[] at) {
        long now = NO_TIME;
        int mi = m.index;
        Entry allow = null;
        int allowAt = -1;
        boolean owner = false;
        int[] nodes = s.nodes;
        if (object >= 0) {
            int cur = object;
            boolean inherited = false;
            while (true) {
                Entry[] es = s.grants[cur];
                if (es != null) {
                    Entry r = scan(es, subj, mi, want, inherited, now);
                    if (r == Entry.NEED_TIME) {
                        now = clock.millis();
                        r = scan(es, subj, mi, want, inherited, now);
                    }
                    if (r != null) {
                        if (r.deny) {
                            if (at != null) {
                                at[0] = cur;
                            }
                            return r;
                        }
                        if (allow == null) {
                            allow = r;
                            allowAt = cur;
                        }
                    }
                }
                int info = nodes[2 * cur + 1];
                if (!inherited && info > 1 && (m.ownerMask & want) != 0) {
                    owner = Snapshot.contains(subj, (info >> 1) - 1);
                }
                if ((info & 1) != 0) {
                    break;
                }
                int p = nodes[2 * cur];
                if (p < 0) {
                    break;
                }
                cur = p;
                inherited = true;
            }
        }
        Entry[] mg = s.modelGrants[mi];
        if (mg != null) {
            Entry r = scan(mg, subj, mi, want, false, now);
            if (r == Entry.NEED_TIME) {
                now = clock.millis();
                r = scan(mg, subj, mi, want, false, now);
            }
            if (r != null && (r.deny || allow == null)) {
                if (at != null) {
                    at[0] = -1;
                }
                return r;
            }
        }
        if (allow != null) {
            if (at != null) {
                at[0] = allowAt;
            }
            return allow;
        }
        if (owner && at != null) {
            at[0] = object;
        }
        return owner ? Entry.OWNER : null;
    }

    /** A matching deny, else the first matching allow, else null; {@link Entry#NEED_TIME} if a window must be read. */
    private static Entry scan(Entry[] es, int[] subj, int mi, long want, boolean inheritedOnly, long now) {
        Entry allow = null;
        if (es.length <= SCAN_LIMIT) {
            for (Entry e : es) {
                if ((e.masks[mi] & want) == 0 || (inheritedOnly && !e.tree) || !Snapshot.contains(subj, e.subject)) {
                    continue;
                }
                if (e.windowed) {
                    if (now == NO_TIME) {
                        return Entry.NEED_TIME;
                    }
                    if (now < e.notBefore || now >= e.notAfter) {
                        continue;
                    }
                }
                if (e.deny) {
                    return e;
                }
                if (allow == null) {
                    allow = e;
                }
            }
            return allow;
        }
        for (int sub : subj) {
            for (int i = lowerBound(es, sub); i < es.length && es[i].subject == sub; i++) {
                Entry e = es[i];
                if ((e.masks[mi] & want) == 0 || (inheritedOnly && !e.tree)) {
                    continue;
                }
                if (e.windowed) {
                    if (now == NO_TIME) {
                        return Entry.NEED_TIME;
                    }
                    if (now < e.notBefore || now >= e.notAfter) {
                        continue;
                    }
                }
                if (e.deny) {
                    return e;
                }
                if (allow == null) {
                    allow = e;
                }
            }
        }
        return allow;
    }

    private static int lowerBound(Entry[] es, int subject) {
        int lo = 0;
        int hi = es.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (es[mid].subject < subject) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
