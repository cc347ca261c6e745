package io.mediastore.passwords;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Command line: {@code java -cp ... io.mediastore.passwords.Calibrate [target-ms] [--memory]}
 * prints the Argon2id parameters that hash within the target (default 250 ms) on this machine,
 * raising iterations from OWASP's m=19456 KiB, t=2 (or, with {@code --memory}, memory at t=2).
 */
public final class Calibrate {
    private Calibrate() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        long targetMs = 250;
        boolean memory = false;
        for (String a : args) {
            if (a.equals("--memory")) {
                memory = true;
            } else if (a.matches("[1-9][0-9]{0,5}")) {
                targetMs = Long.parseLong(a);
            } else {
                err.println("usage: Calibrate [target-ms (1..999999), default 250] [--memory]");
                return 2;
            }
        }
        PasswordHasher hasher = PasswordHasher.builder()
                .memoryBudgetKiB(PasswordHasher.DEFAULT_MAX_MEMORY_KIB).build();
        Calibration calibration = Calibration.using(hasher);
        Duration target = Duration.ofMillis(targetMs);
        Argon2Parameters start = Argon2Parameters.defaults();
        Argon2Parameters p = memory ? calibration.memoryFor(target, start) : calibration.iterationsFor(target, start);
        Duration took = calibration.measure(p);
        out.println("backend: " + hasher.backend());
        out.println("target: " + targetMs + " ms");
        out.println("recommended: m=" + p.memoryKiB() + " KiB, t=" + p.iterations() + ", p=" + p.parallelism());
        out.println("measured: " + took.toMillis() + " ms per hash (median)");
        out.println("code: Argon2Parameters.builder().memoryKiB(" + p.memoryKiB() + ").iterations("
                + p.iterations() + ").parallelism(" + p.parallelism() + ").build()");
        if (took.compareTo(target) > 0) {
            out.println("note: even the starting parameters exceed the target; OWASP's minimum is kept");
        }
        return 0;
    }
}
