package io.mediastore.passwords;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Chooses Argon2id parameters for a target latency on the machine it runs on: the most iterations
 * (at a fixed memory) or the most memory (at fixed iterations) whose median hash time stays within
 * the target, never below the starting parameters. Run {@link Calibrate} for a command-line answer.
 */
public final class Calibration {
    private static final int SAMPLES = 3;
    private final PasswordHasher hasher;

    private Calibration(PasswordHasher hasher) {
        this.hasher = hasher;
    }

    /** Calibrates with {@code hasher}'s backend and memory budget. */
    public static Calibration using(PasswordHasher hasher) {
        return new Calibration(Objects.requireNonNull(hasher, "hasher"));
    }

    /** The median time of one hash with {@code parameters}, over a few runs after a warm-up. */
    public Duration measure(Argon2Parameters parameters) {
        byte[] salt = new byte[parameters.saltLength()];
        byte[] pw = "calibration".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        hasher.deriveRaw(Argon2Type.ARGON2ID, parameters, pw, salt, null, null);
        long[] t = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            long start = System.nanoTime();
            hasher.deriveRaw(Argon2Type.ARGON2ID, parameters, pw, salt, null, null);
            t[i] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        return Duration.ofNanos(t[SAMPLES / 2]);
    }

    /**
     * Raises iterations from {@code start.iterations()} while the median hash time stays within
     * {@code target}; memory, lanes, salt and tag stay as in {@code start}.
     */
    public Argon2Parameters iterationsFor(Duration target, Argon2Parameters start) {
        Argon2Parameters best = start;
        Duration one = measure(start);
        if (one.compareTo(target) >= 0) {
            return start;
        }
        // time grows linearly with t: estimate, then correct by measuring around the estimate
        double perPass = (double) one.toNanos() / start.iterations();
        int t = Math.max(start.iterations(), (int) (target.toNanos() / perPass));
        for (; t > start.iterations(); t--) {
            Argon2Parameters candidate = start.toBuilder().iterations(t).build();
            if (measure(candidate).compareTo(target) <= 0) {
                best = candidate;
                break;
            }
        }
        return best;
    }

    /**
     * Doubles memory from {@code start.memoryKiB()} while the median hash time stays within
     * {@code target} and the hasher's ceiling allows; iterations stay as in {@code start}.
     */
    public Argon2Parameters memoryFor(Duration target, Argon2Parameters start) {
        Argon2Parameters best = start;
        long max = Math.min(hasher.budgetStats().budgetKiB(), PasswordHasher.DEFAULT_MAX_MEMORY_KIB);
        for (long m = (long) start.memoryKiB() * 2; m <= max; m *= 2) {
            Argon2Parameters candidate = start.toBuilder().memoryKiB((int) m).build();
            try {
                if (measure(candidate).compareTo(target) > 0) {
                    break;
                }
            } catch (IllegalArgumentException beyondCeiling) {
                break; // the hasher's configured ceiling is lower than the default one
            }
            best = candidate;
        }
        return best;
    }
}
