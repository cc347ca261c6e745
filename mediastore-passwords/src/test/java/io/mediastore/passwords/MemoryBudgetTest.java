package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Surefire runs this module with -Xmx384m: 200 unbounded concurrent computations at m=19456 KiB
 * would need 3.8 GiB, so finishing here without an OutOfMemoryError is the budget at work.
 */
class MemoryBudgetTest {
    private static final int CALLERS = 200;

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"NATIVE", "PURE_JAVA"})
    void twoHundredConcurrentVerifiesAtTheDefaultsStayWithinTheBudget(Backend backend) throws Exception {
        // two seconds of patience bounds the test on a loaded machine; callers beyond it must get
        // the busy exception, never an error
        PasswordHasher hasher = PasswordHasher.builder().backend(backend).acquireTimeout(Duration.ofSeconds(2)).build();
        String stored = hasher.hash("right".toCharArray());
        AtomicInteger matched = new AtomicInteger();
        AtomicInteger mismatched = new AtomicInteger();
        AtomicInteger busy = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            boolean right = i % 2 == 0;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    Verification v = hasher.verify((right ? "right" : "wrong").toCharArray(), stored);
                    if (v.matched() != right) {
                        unexpected.compareAndSet(null, new AssertionError("wrong verdict"));
                    } else {
                        (right ? matched : mismatched).incrementAndGet();
                    }
                } catch (HasherBusyException e) {
                    busy.incrementAndGet();
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                }
            });
            t.start();
            threads.add(t);
        }
        long t0 = System.nanoTime();
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        if (unexpected.get() != null) {
            throw new AssertionError("a caller failed with something other than a verdict or busy", unexpected.get());
        }
        PasswordHasher.BudgetStats stats = hasher.budgetStats();
        assertTrue(stats.peakInUseKiB() <= stats.budgetKiB(), stats.toString());
        assertTrue(stats.peakInUseKiB() >= 19456, "computations did run concurrently up to the budget: " + stats);
        assertEquals(0, stats.inUseKiB());
        assertEquals(CALLERS, matched.get() + mismatched.get() + busy.get());
        assertEquals(busy.get(), stats.refusedCalls());
        // the budget admits four hashes at a time: in two seconds many callers get their verdict
        assertTrue(matched.get() >= 4 && mismatched.get() >= 4,
                matched + " matched, " + mismatched + " mismatched, " + busy + " busy; " + stats + " in " + millis + " ms");
    }

    @Test
    void callersBeyondTheBudgetWaitThenGetTheBusyException() throws Exception {
        PasswordHasher hasher = PasswordHasher.builder().memoryBudgetKiB(19456)
                .acquireTimeout(Duration.ofMillis(1)).build();
        String stored = hasher.hash("pw".toCharArray());
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    hasher.verify("pw".toCharArray(), stored);
                    answered.incrementAndGet();
                } catch (HasherBusyException e) {
                    assertEquals(PasswordException.Reason.BUSY, e.reason());
                    busy.incrementAndGet();
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                }
            });
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join();
        }
        if (unexpected.get() != null) {
            throw new AssertionError(unexpected.get());
        }
        assertTrue(busy.get() > 0, "one hash at a time with a 1 ms wait: some of 20 callers must be refused");
        assertTrue(answered.get() > 0);
        assertEquals(19456, hasher.budgetStats().peakInUseKiB());
    }

    @Test
    void legacyVerificationsShareTheBudgetSoAFloodOfThemIsRefusedAsBusy() throws Exception {
        // a CPU-only legacy verifier (like bcrypt or PBKDF2: memoryKiB 0) whose first call holds on
        // until released, standing for a long bcrypt check
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        io.mediastore.passwords.spi.LegacyVerifier slow = new io.mediastore.passwords.spi.LegacyVerifier() {
            @Override
            public String algorithm() {
                return "slow";
            }

            @Override
            public boolean recognizes(String stored) {
                return stored.startsWith("$slow$");
            }

            @Override
            public boolean verify(char[] password, String stored) {
                if (calls.incrementAndGet() == 1) {
                    inside.countDown();
                    try {
                        release.await(30, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return new String(password).equals("pw");
            }
        };
        // a budget of exactly one hash at the configured parameters
        PasswordHasher hasher = PasswordHasher.builder().parameters(TestHashers.small()).memoryBudgetKiB(64)
                .acquireTimeout(Duration.ofMillis(50)).legacyVerifiers(List.of(slow)).build();
        AtomicReference<Object> first = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                first.set(hasher.verify("pw".toCharArray(), "$slow$1"));
            } catch (Throwable e) {
                first.set(e);
            }
        });
        t.start();
        assertTrue(inside.await(30, java.util.concurrent.TimeUnit.SECONDS));
        try {
            assertEquals(64, hasher.budgetStats().inUseKiB(), "the running legacy check holds one hash's share");
            // a second legacy check and an Argon2 hash both find the budget taken: busy, not run
            char[] refusedPassword = "pw".toCharArray();
            HasherBusyException busy = assertThrows(HasherBusyException.class,
                    () -> hasher.verify(refusedPassword, "$slow$2"));
            assertEquals(PasswordException.Reason.BUSY, busy.reason());
            assertArrayEquals(new char[2], refusedPassword, "wiped when busy too");
            assertThrows(HasherBusyException.class,
                    () -> hasher.hash("pw".toCharArray()));
            assertEquals(1, calls.get(), "the refused check never reached the verifier");
            assertEquals(2, hasher.budgetStats().refusedCalls());
        } finally {
            release.countDown();
            t.join();
        }
        if (first.get() instanceof Throwable e) {
            throw new AssertionError("the first legacy check failed", e);
        }
        assertTrue(((Verification) first.get()).matched());
        assertEquals(0, hasher.budgetStats().inUseKiB());
        // with the budget free again, legacy checks run and migrate as before
        assertTrue(hasher.verify("pw".toCharArray(), "$slow$3").replacement().orElseThrow().startsWith("$argon2id$"));
        assertTrue(hasher.budgetStats().peakInUseKiB() <= 64);
    }

    @Test
    void thePureJavaBackendReusesItsBlocksInsteadOfAllocatingMKiBPerCall() {
        PasswordHasher hasher = PasswordHasher.builder().backend(Backend.PURE_JAVA).build();
        String stored = hasher.hash("pw".toCharArray()); // first call fills the pool
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 5; i++) {
            assertTrue(hasher.verify("pw".toCharArray(), stored).matched());
        }
        long perCall = (threads.getThreadAllocatedBytes(id) - before) / 5;
        // BouncyCastle's generator allocates the full 19456 KiB (about 20 MB) on every call
        assertTrue(perCall < 256 * 1024, "allocated " + perCall + " bytes per verify");
    }

    @Test
    void anInterruptedWaitIsReportedAsBusyAndKeepsTheInterruptFlag() throws Exception {
        PasswordHasher hasher = PasswordHasher.builder().parameters(TestHashers.small()).memoryBudgetKiB(64)
                .acquireTimeout(Duration.ofSeconds(30)).build();
        Thread.currentThread().interrupt();
        try {
            hasher.hash("pw".toCharArray());
            throw new AssertionError("expected busy");
        } catch (HasherBusyException e) {
            assertTrue(Thread.interrupted(), "interrupt flag restored");
        }
    }
}
