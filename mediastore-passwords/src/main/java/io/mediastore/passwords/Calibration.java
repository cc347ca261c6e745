package io.mediastore.passwords;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * Chooses Argon2id parameters for a target latency on the machine it runs on: the most iterations
 * (at a fixed memory) or the most memory (at fixed iterations) whose median hash time stays within
 * the target, never below the starting parameters and never above the hasher's cost ceiling. Run
 * {@link Calibrate} for a command-line answer.
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
     * {@code target}, up to the hasher's iteration ceiling ({@link
     * PasswordHasher#DEFAULT_MAX_ITERATIONS} unless configured lower); memory, lanes, salt and tag
     * stay as in {@code start}. When the ceiling binds, the result hashes faster than
     * {@code target}: digests beyond the ceiling could not be verified by this hasher.
     *
     * @throws IllegalArgumentException when {@code start} itself exceeds the hasher's ceiling
     */
    public Argon2Parameters iterationsFor(Duration target, Argon2Parameters start) {
        Argon2Parameters best = start;
        Duration one = measure(start);
        if (one.compareTo(target) >= 0) {
            return start;
        }
        // time grows linearly with t: estimate, cap at the ceiling, then correct by measuring
        // downwards from there
        double perPass = (double) one.toNanos() / start.iterations();
        long estimate = (long) Math.min(Integer.MAX_VALUE, target.toNanos() / perPass);
        int t = (int) Math.max(start.iterations(), Math.min(estimate, hasher.ceiling().maxIterations()));
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
     * {@code target} and the hasher's ceiling and memory budget allow; iterations stay as in
     * {@code start}. As with {@link #iterationsFor}, the result may hash faster than the target
     * when the ceiling binds.
     */
    public Argon2Parameters memoryFor(Duration target, Argon2Parameters start) {
        Argon2Parameters best = start;
        long max = hasher.ceiling().maxMemoryKiB(); // the configured ceiling, already within the budget
        for (long m = (long) start.memoryKiB() * 2; m <= max; m *= 2) {
            Argon2Parameters candidate = start.toBuilder().memoryKiB((int) m).build();
            try {
                if (measure(candidate).compareTo(target) > 0) {
                    break;
                }
            } catch (IllegalArgumentException beyondCeiling) {
                break; // start's iterations or lanes are beyond the ceiling
            }
            best = candidate;
        }
        return best;
    }
}
