package io.mediastore.benchmarks.tokens;

import com.nimbusds.jwt.JWTClaimsSet;
import io.jsonwebtoken.Claims;
import io.mediastore.tokens.Grant;
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

/**
 * Ed25519 verify: ours (ms1 over BouncyCastle's Ed25519) vs jjwt EdDSA (JDK 17 Ed25519) and nimbus-jose-jwt
 * EdDSA (Google Tink's Ed25519, nimbus' optional provider), each checking signature, times, resource and action.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Ed25519VerifyBenchmark {
    TokenFixtures f;

    @Setup
    public void setUp() throws Exception {
        f = new TokenFixtures();
    }

    @Benchmark
    public Grant verify() {
        return f.edService.verify(f.edToken, TokenFixtures.REQUEST);
    }

    @Benchmark
    public Claims peerJjwtEdDsa() {
        return TokenFixtures.verifyJjwt(f.jjwtEdParser, f.jjwtEdToken);
    }

    @Benchmark
    public JWTClaimsSet peerNimbusEdDsa() throws Exception {
        return TokenFixtures.verifyNimbus(f.nimbusEdToken, f.nimbusEdVerifier);
    }
}
