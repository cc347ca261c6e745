package io.mediastore.acl.internal;

import java.time.Clock;

/**
 * The check itself, on one snapshot: walk from the object up its ancestors (stopping where
 * inheritance is blocked), then the model's whole-model grants; a matching deny ends the walk at
 * once, the first matching allow is remembered, the owner rule applies on the object itself.
 * Allocation-free; reads the clock only when a windowed grant matches everything else.
 *
 * <p>The result is a code: {@link #NONE}, {@link #OWNER}, or (holder object id + 1) in the high 32
 * bits (0 for a whole-model grant), the deny flag in bit 31 and the entry's index in the holder's
 * entries in bits 0-30.
 */
public final class Evaluator {
    /** Nothing allows (the default deny). */
    public static final long NONE = -1;
    /** The owner rule allows. */
    public static final long OWNER = -2;
    private static final long DENY_BIT = 1L << 31;
    private static final int NEED_TIME = -2;
    private static final long NO_TIME = Long.MIN_VALUE;
    /** Above this many entries on one object, look subjects up by binary search instead of a scan. */
    private static final int SCAN_LIMIT = 16;

    private Evaluator() {
    }

    /** Whether a result code allows. */
    public static boolean allows(long code) {
        return code == OWNER || (code >= 0 && (code & DENY_BIT) == 0);
    }

    /** Whether a result code is a deny. */
    public static boolean denies(long code) {
        return code >= 0 && (code & DENY_BIT) != 0;
    }

    /** The object holding the deciding entry, or -1 for a whole-model entry. */
    public static int holder(long code) {
        return (int) (code >>> 32) - 1;
    }

    /** The deciding entry of a grant result code. */
    public static Entry entry(Snapshot s, int modelIndex, long code) {
        int h = holder(code);
        int k = (int) (code & 0x7FFF_FFFFL);
        return h < 0 ? s.modelCold[modelIndex][k] : s.cold[h][k];
    }

    /** Decides; see the class comment for the result. */
    public static long evaluate(Snapshot s, int[] subj, CompiledSchema.ModelInfo m, long want, int object, Clock clock) {
        long now = NO_TIME;
        int mi = m.index;
        long[] table = s.maskTable;
        int mc = s.modelCount;
        long allow = NONE;
        boolean owner = false;
        if (object >= 0) {
            int[] nodes = s.nodes;
            long[][] hot = s.hot;
            int cur = object;
            boolean inherited = false;
            while (true) {
                long[] es = hot[cur];
                if (es != null) {
                    int k = scan(es, s.cold[cur], subj, table, mc, mi, want, inherited, now);
                    if (k == NEED_TIME) {
                        now = clock.millis();
                        k = scan(es, s.cold[cur], subj, table, mc, mi, want, inherited, now);
                    }
                    if (k >= 0) {
                        long code = ((long) (cur + 1) << 32) | k;
                        if ((es[k] & Entry.DENY) != 0) {
                            return code | DENY_BIT;
                        }
                        if (allow == NONE) {
                            allow = code;
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
        long[] mg = s.modelHot[mi];
        if (mg != null) {
            int k = scan(mg, s.modelCold[mi], subj, table, mc, mi, want, false, now);
            if (k == NEED_TIME) {
                now = clock.millis();
                k = scan(mg, s.modelCold[mi], subj, table, mc, mi, want, false, now);
            }
            if (k >= 0) {
                if ((mg[k] & Entry.DENY) != 0) {
                    return k | DENY_BIT;
                }
                if (allow == NONE) {
                    return k;
                }
            }
        }
        if (allow != NONE) {
            return allow;
        }
        return owner ? OWNER : NONE;
    }

    /**
     * The index of a matching deny, else of the first matching allow, else -1; {@link #NEED_TIME} if a
     * window must be read first.
     */
    private static int scan(long[] es, Entry[] cold, int[] subj, long[] table, int mc, int mi, long want,
                            boolean inheritedOnly, long now) {
        int allow = -1;
        if (es.length <= SCAN_LIMIT) {
            for (int k = 0; k < es.length; k++) {
                long e = es[k];
                if ((inheritedOnly && (e & Entry.TREE) == 0) || (table[Entry.maskId(e) * mc + mi] & want) == 0
                        || !Snapshot.contains(subj, (int) e)) {
                    continue;
                }
                if ((e & Entry.WINDOWED) != 0) {
                    if (now == NO_TIME) {
                        return NEED_TIME;
                    }
                    Entry c = cold[k];
                    if (now < c.notBefore || now >= c.notAfter) {
                        continue;
                    }
                }
                if ((e & Entry.DENY) != 0) {
                    return k;
                }
                if (allow < 0) {
                    allow = k;
                }
            }
            return allow;
        }
        for (int sub : subj) {
            for (int k = lowerBound(es, sub); k < es.length && (int) es[k] == sub; k++) {
                long e = es[k];
                if ((inheritedOnly && (e & Entry.TREE) == 0) || (table[Entry.maskId(e) * mc + mi] & want) == 0) {
                    continue;
                }
                if ((e & Entry.WINDOWED) != 0) {
                    if (now == NO_TIME) {
                        return NEED_TIME;
                    }
                    Entry c = cold[k];
                    if (now < c.notBefore || now >= c.notAfter) {
                        continue;
                    }
                }
                if ((e & Entry.DENY) != 0) {
                    return k;
                }
                if (allow < 0) {
                    allow = k;
                }
            }
        }
        return allow;
    }

    private static int lowerBound(long[] es, int subject) {
        int lo = 0;
        int hi = es.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if ((int) es[mid] < subject) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
