package io.mediastore.benchmarks.passwords;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import io.mediastore.passwords.PasswordHasher;
import io.mediastore.passwords.Backend;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The Argon2 comparison as paired measurements: every round calls each contender a few times in turn and
 * the ratio is taken inside the round, so load that comes and goes on a shared machine (which makes
 * separate JMH runs of the same library differ by 20 %) hits all of them alike. Prints, for hash and
 * verify, the median and quartiles of the per-round cost ratios and each contender's p50/p90/p99 wall time.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.mediastore.benchmarks.passwords.Argon2Interleaved [rounds]</pre>
 */
public final class Argon2Interleaved {
    private static final String PASSWORD = "correct horse battery staple";
    private static final int CALLS_PER_ROUND = 3;

    private Argon2Interleaved() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        PasswordHasher nativeHasher = PasswordHasher.builder().backend(Backend.NATIVE).build();
        PasswordHasher javaHasher = PasswordHasher.builder().backend(Backend.PURE_JAVA).build();
        Argon2 argon2Jvm = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
        SecureRandom random = new SecureRandom();
        String stored = nativeHasher.hash(PASSWORD.toCharArray());
        String storedJvm = argon2Jvm.hash(Argon2Peers.T, Argon2Peers.M, Argon2Peers.P, PASSWORD.toCharArray());
        String storedSpring = Argon2Peers.springEncode(random, PASSWORD);

        Map<String, Supplier<Object>> hash = new LinkedHashMap<>();
        hash.put("native", () -> nativeHasher.hash(PASSWORD.toCharArray()));
        hash.put("pure Java", () -> javaHasher.hash(PASSWORD.toCharArray()));
        hash.put("argon2-jvm", () -> argon2Jvm.hash(Argon2Peers.T, Argon2Peers.M, Argon2Peers.P, PASSWORD.toCharArray()));
        hash.put("BouncyCastle", () -> Argon2Peers.springEncode(random, PASSWORD));
        Map<String, Supplier<Object>> verify = new LinkedHashMap<>();
        verify.put("native", () -> check(nativeHasher.verify(PASSWORD.toCharArray(), stored).matched()));
        verify.put("pure Java", () -> check(javaHasher.verify(PASSWORD.toCharArray(), stored).matched()));
        verify.put("argon2-jvm", () -> check(argon2Jvm.verify(storedJvm, PASSWORD.toCharArray())));
        verify.put("BouncyCastle", () -> check(Argon2Peers.springMatches(PASSWORD, storedSpring)));

        report("hash", measure(hash, rounds));
        report("verify", measure(verify, rounds));
    }

    private static Object check(boolean matched) {
        if (!matched) {
            throw new IllegalStateException("a verify did not match");
        }
        return matched;
    }

    /** Per contender, per round, the median of its calls in that round (ms). The first third is warm-up. */
    private static Map<String, List<Double>> measure(Map<String, Supplier<Object>> contenders, int rounds) {
        Map<String, List<Double>> perRound = new LinkedHashMap<>();
        contenders.keySet().forEach(k -> perRound.put(k, new ArrayList<>()));
        int warmup = rounds / 3;
        for (int r = 0; r < warmup + rounds; r++) {
            for (var e : contenders.entrySet()) {
                List<Double> calls = new ArrayList<>();
                for (int i = 0; i < CALLS_PER_ROUND; i++) {
                    long t0 = System.nanoTime();
                    e.getValue().get();
                    calls.add((System.nanoTime() - t0) / 1e6);
                }
                if (r >= warmup) {
                    perRound.get(e.getKey()).add(median(calls));
                }
            }
        }
        return perRound;
    }

    private static void report(String what, Map<String, List<Double>> perRound) {
        System.out.printf("%s (Argon2id m=%d KiB, t=%d, p=%d; %d rounds)%n", what, Argon2Peers.M, Argon2Peers.T,
                Argon2Peers.P, perRound.get("native").size());
        ratio(perRound, "pure Java", "native");
        ratio(perRound, "native", "argon2-jvm");
        ratio(perRound, "BouncyCastle", "native");
        ratio(perRound, "pure Java", "BouncyCastle");
        for (var e : perRound.entrySet()) {
            List<Double> s = new ArrayList<>(e.getValue());
            Collections.sort(s);
            System.out.printf("  %-12s p50 %6.2f ms  p90 %6.2f  p99 %6.2f%n", e.getKey(), pct(s, 50), pct(s, 90), pct(s, 99));
        }
    }

    private static void ratio(Map<String, List<Double>> perRound, String ours, String theirs) {
        List<Double> a = perRound.get(ours);
        List<Double> b = perRound.get(theirs);
        List<Double> r = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            r.add(a.get(i) / b.get(i));
        }
        Collections.sort(r);
        System.out.printf("  cost %-12s / %-12s median %.3f  (quartiles %.3f-%.3f)%n", ours, theirs, pct(r, 50), pct(r, 25),
                pct(r, 75));
    }

    private static double median(List<Double> values) {
        List<Double> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.round(p / 100.0 * (sorted.size() - 1))));
    }
}
