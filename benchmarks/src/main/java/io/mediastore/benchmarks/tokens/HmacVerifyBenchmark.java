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

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.util.concurrent.TimeUnit;

/** Verify one HMAC-SHA-256 token for one request: ours (ms1) vs jjwt HS256 vs nimbus HS256, and bare JCE. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HmacVerifyBenchmark {
    TokenFixtures f;
    Mac mac;
    final byte[] out = new byte[32];

    @Setup
    public void setUp() throws Exception {
        f = new TokenFixtures();
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(f.hmacKey, "HmacSHA256"));
    }

    @Benchmark
    public Grant verify() {
        return f.hmacService.verify(f.hmacToken, TokenFixtures.REQUEST);
    }

    @Benchmark
    public Claims peerJjwtHs256() {
        return TokenFixtures.verifyJjwt(f.jjwtHmacParser, f.jjwtHmacToken);
    }

    @Benchmark
    public JWTClaimsSet peerNimbusHs256() throws Exception {
        return TokenFixtures.verifyNimbus(f.nimbusHmacToken, f.nimbusVerifier);
    }

    /** The ceiling: one JCE HMAC-SHA-256 over the bytes our verify MACs, and nothing else. */
    @Benchmark
    public byte[] limitJceHmacSha256() throws Exception {
        mac.update(f.hmacSignedBytes);
        mac.doFinal(out, 0);
        return out;
    }
}
