package io.mediastore.benchmarks.tokens;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import java.util.Date;
import java.util.List;
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
        Claims c = f.jjwtHmacParser.parseSignedClaims(f.jjwtHmacToken).getPayload();
        if (!TokenFixtures.RESOURCE.equals(c.get("res")) || !((List<?>) c.get("act")).contains(TokenFixtures.ACTION)) {
            throw new IllegalStateException("claims");
        }
        return c;
    }

    @Benchmark
    public JWTClaimsSet peerNimbusHs256() throws Exception {
        SignedJWT jwt = SignedJWT.parse(f.nimbusHmacToken);
        if (!jwt.verify(f.nimbusVerifier)) {
            throw new IllegalStateException("signature");
        }
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        Date now = new Date();
        if (c.getExpirationTime().before(now) || c.getNotBeforeTime().after(now)
                || !TokenFixtures.RESOURCE.equals(c.getStringClaim("res"))
                || !c.getStringListClaim("act").contains(TokenFixtures.ACTION)) {
            throw new IllegalStateException("claims");
        }
        return c;
    }

    /** The ceiling: one JCE HMAC-SHA-256 over the bytes our verify MACs, and nothing else. */
    @Benchmark
    public byte[] limitJceHmacSha256() throws Exception {
        mac.update(f.hmacSignedBytes);
        mac.doFinal(out, 0);
        return out;
    }
}
