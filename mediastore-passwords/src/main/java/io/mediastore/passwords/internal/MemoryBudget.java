package io.mediastore.passwords.internal;

import io.mediastore.passwords.HasherBusyException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the memory of concurrent Argon2 computations. Each computation holds m KiB of a fair
 * semaphore for its whole run; callers beyond the budget wait up to a timeout and then get
 * {@link HasherBusyException}. For the pure-Java engine the same budget also bounds a pool of
 * reusable block arrays: arrays in use plus idle arrays never exceed the budget, so a burst can
 * neither exhaust the heap nor make every call allocate m KiB afresh.
 */
public final class MemoryBudget {
    private final int budgetKiB;
    private final long timeoutNanos;
    private final Semaphore permits;
    private final List<long[]> idle = new ArrayList<>();
    private long idleKiB;
    private final AtomicLong inUseKiB = new AtomicLong();
    private final AtomicLong peakKiB = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    public MemoryBudget(int budgetKiB, long timeoutNanos) {
        if (budgetKiB < 8) {
            throw new IllegalArgumentException("memory budget must be at least 8 KiB");
        }
        this.budgetKiB = budgetKiB;
        this.timeoutNanos = timeoutNanos;
        this.permits = new Semaphore(budgetKiB, true);
    }

    public int budgetKiB() {
        return budgetKiB;
    }

    public long inUseKiB() {
        return inUseKiB.get();
    }

    public long peakKiB() {
        return peakKiB.get();
    }

    public long refusedCount() {
        return refused.get();
    }

    /** Waits for {@code kib} of the budget; the caller has already checked kib <= budget. */
    public Lease acquire(int kib) {
        boolean ok;
        try {
            ok = permits.tryAcquire(kib, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            refused.incrementAndGet();
            throw new HasherBusyException("interrupted while waiting for the password hashing memory budget", e);
        }
        if (!ok) {
            refused.incrementAndGet();
            throw new HasherBusyException("password hashing memory budget of " + budgetKiB
                    + " KiB stayed exhausted for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
        }
        long now = inUseKiB.addAndGet(kib);
        peakKiB.accumulateAndGet(now, Math::max);
        return new Lease(kib);
    }

    private synchronized long[] borrow(int words, int kib) {
        long[] best = null;
        for (long[] a : idle) {
            // an idle array fits if it is large enough and not larger than the permits held
            if (a.length >= words && a.length <= (long) kib * Argon2Core.WORDS
                    && (best == null || a.length < best.length)) {
                best = a;
            }
        }
        if (best != null) {
            removeIdentity(best);
            idleKiB -= best.length / Argon2Core.WORDS;
            return best;
        }
        // evict idle arrays until in-use + idle + this new array fit the budget
        Iterator<long[]> it = idle.iterator();
        while (it.hasNext() && idleKiB + inUseKiB.get() > budgetKiB) {
            idleKiB -= it.next().length / Argon2Core.WORDS;
            it.remove();
        }
        try {
            return new long[words];
        } catch (OutOfMemoryError e) {
            // the heap is smaller than the configured budget: shed the pool and refuse this one call
            idle.clear();
            idleKiB = 0;
            throw new HasherBusyException("heap too small for the configured password hashing memory budget", e);
        }
    }

    private void removeIdentity(long[] a) {
        for (int i = 0; i < idle.size(); i++) {
            if (idle.get(i) == a) {
                idle.remove(i);
                return;
            }
        }
    }

    private synchronized void giveBack(long[] a) {
        idle.add(a);
        idleKiB += a.length / Argon2Core.WORDS;
    }

    /** Permits for one computation; close exactly once. */
    public final class Lease implements AutoCloseable {
        private final int kib;
        private long[] blocks;
        private boolean closed;

        private Lease(int kib) {
            this.kib = kib;
        }

        /** A pooled array of at least {@code words} longs (contents unspecified), held until close. */
        public long[] blocks(int words) {
            if (blocks == null) {
                blocks = borrow(words, kib);
            }
            return blocks;
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (blocks != null) {
                giveBack(blocks);
                blocks = null;
            }
            inUseKiB.addAndGet(-kib);
            permits.release(kib);
        }
    }
}
