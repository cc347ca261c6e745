package io.mediastore.benchmarks.passwords;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import io.mediastore.passwords.Backend;
import io.mediastore.passwords.PasswordHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Hashing at OWASP's defaults (Argon2id, m=19456 KiB, t=2, p=1): ours on the native and
 * the pure-Java backend against argon2-jvm used directly, BouncyCastle as Spring Security's
 * Argon2PasswordEncoder uses it, and the reference argon2 CLI (a process per hash). Sample time,
 * so the JSON carries p50/p99 as well as the mean; run with -prof gc to see the m KiB BouncyCastle
 * allocates per call against the pooled blocks of our pure-Java backend.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class Argon2HashBenchmark {
    private static final String PASSWORD = "correct horse battery staple";

    private PasswordHasher nativeHasher;
    private PasswordHasher javaHasher;
    private Argon2 argon2Jvm;
    private SecureRandom random;
    private String stored;

    @Setup
    public void setUp() {
        nativeHasher = PasswordHasher.builder().backend(Backend.NATIVE).build();
        javaHasher = PasswordHasher.builder().backend(Backend.PURE_JAVA).build();
        argon2Jvm = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
        random = new SecureRandom();
        stored = nativeHasher.hash(PASSWORD.toCharArray());
        if (!Files.isExecutable(Path.of(Argon2Peers.CLI))) {
            throw new IllegalStateException("install the reference CLI: apt-get install argon2");
        }
    }

    @Benchmark
    public String hashNative() {
        return nativeHasher.hash(PASSWORD.toCharArray());
    }

    @Benchmark
    public String hashPureJava() {
        return javaHasher.hash(PASSWORD.toCharArray());
    }

    @Benchmark
    public String peerHashArgon2Jvm() {
        return argon2Jvm.hash(Argon2Peers.T, Argon2Peers.M, Argon2Peers.P, PASSWORD.toCharArray());
    }

    @Benchmark
    public String peerHashBouncyCastleSpring() {
        return Argon2Peers.springEncode(random, PASSWORD);
    }

    @Benchmark
    public String peerHashCli() {
        return Argon2Peers.cliEncode(PASSWORD, Argon2Peers.randomSaltText(random));
    }
}
