package io.mediastore.benchmarks.tokens;

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

import java.util.concurrent.TimeUnit;

/** Ed25519 issue with the same claims: ours (BouncyCastle Ed25519) vs jjwt EdDSA (JDK 17 Ed25519). */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Ed25519IssueBenchmark {
    TokenFixtures f;

    @Setup
    public void setUp() throws Exception {
        f = new TokenFixtures();
    }

    @Benchmark
    public String issue() {
        return f.edService.issue(f.spec).token();
    }

    @Benchmark
    public String peerJjwtEdDsa() {
        return f.jjwtEdDsa();
    }

    @Benchmark
    public String peerNimbusEdDsa() throws Exception {
        return f.nimbusEdDsa();
    }
}
