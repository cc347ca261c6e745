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

import java.util.Date;
import java.util.List;
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
        Claims c = f.jjwtEdParser.parseSignedClaims(f.jjwtEdToken).getPayload();
        if (!TokenFixtures.RESOURCE.equals(c.get("res")) || !((List<?>) c.get("act")).contains(TokenFixtures.ACTION)) {
            throw new IllegalStateException("claims");
        }
        return c;
    }

    @Benchmark
    public JWTClaimsSet peerNimbusEdDsa() throws Exception {
        SignedJWT jwt = SignedJWT.parse(f.nimbusEdToken);
        if (!jwt.verify(f.nimbusEdVerifier)) {
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
}
