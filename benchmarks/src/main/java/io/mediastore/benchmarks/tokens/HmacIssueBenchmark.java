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

/** Issue one HMAC-SHA-256 token with the same claims: ours (ms1) vs jjwt HS256 vs nimbus HS256. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HmacIssueBenchmark {
    TokenFixtures f;

    @Setup
    public void setUp() throws Exception {
        f = new TokenFixtures();
    }

    @Benchmark
    public String issue() {
        return f.hmacService.issue(f.spec).token();
    }

    @Benchmark
    public String peerJjwtHs256() {
        return f.jjwtHs256();
    }

    @Benchmark
    public String peerNimbusHs256() throws Exception {
        return f.nimbusHs256();
    }
}
