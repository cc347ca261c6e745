package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A login for a user that does not exist costs the same as one for a user that does. */
class UserEnumerationTest {
    private static final int PAIRS = 25;

    @Test
    void unknownUserVerifyCostsTheSameAsARealOneWithin20Percent() {
        PasswordHasher hasher = PasswordHasher.builder()
                .pepper(PepperKey.of("k1", "0123456789abcdef0123456789abcdef".getBytes())).build();
        String stored = hasher.hash("the right one".toCharArray());
        for (int i = 0; i < 3; i++) { // warm-up
            hasher.verify("a wrong one".toCharArray(), stored);
            hasher.verifyUnknownUser("a wrong one".toCharArray());
        }
        // Interleaved in ABBA order so drift from other processes on this 2-core machine hits
        // both sides alike; medians ignore the odd descheduled sample. A noisy round is retried,
        // a real difference fails every round.
        double ratio = 0;
        for (int round = 0; round < 3; round++) {
            long[] real = new long[PAIRS];
            long[] dummy = new long[PAIRS];
            for (int i = 0; i < PAIRS; i++) {
                if (i % 2 == 0) {
                    real[i] = timeReal(hasher, stored);
                    dummy[i] = timeDummy(hasher);
                } else {
                    dummy[i] = timeDummy(hasher);
                    real[i] = timeReal(hasher, stored);
                }
            }
            ratio = (double) median(dummy) / median(real);
            if (ratio > 0.8 && ratio < 1.2) {
                return;
            }
        }
        throw new AssertionError("unknown-user verify costs " + ratio + " times a real verify");
    }

    @Test
    void unknownUserVerifyNeverMatchesAndWipesThePassword() {
        PasswordHasher hasher = PasswordHasher.builder().parameters(TestHashers.small()).build();
        char[] pw = "anything".toCharArray();
        Verification v = hasher.verifyUnknownUser(pw);
        assertFalse(v.matched());
        assertFalse(v.needsRehash());
        assertTrue(new String(pw).chars().allMatch(c -> c == 0));
    }

    private static long timeReal(PasswordHasher hasher, String stored) {
        long t = System.nanoTime();
        hasher.verify("a wrong one".toCharArray(), stored);
        return System.nanoTime() - t;
    }

    private static long timeDummy(PasswordHasher hasher) {
        long t = System.nanoTime();
        hasher.verifyUnknownUser("a wrong one".toCharArray());
        return System.nanoTime() - t;
    }

    private static long median(long[] a) {
        long[] c = a.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
