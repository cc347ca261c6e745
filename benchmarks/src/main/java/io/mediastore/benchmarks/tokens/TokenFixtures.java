package io.mediastore.benchmarks.tokens;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.mediastore.tokens.AccessRequest;
import io.mediastore.tokens.KeyRing;
import io.mediastore.tokens.KeyType;
import io.mediastore.tokens.Resource;
import io.mediastore.tokens.TokenKey;
import io.mediastore.tokens.TokenService;
import io.mediastore.tokens.TokenSpec;
import io.mediastore.tokens.spi.InMemoryKeySource;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * One grant, expressed for each library: subject {@code user-42}, resource {@code asset/123/original},
 * action {@code download}, issued now, valid for 10 minutes, with a random token id. The JWT peers carry
 * the same fields as claims ({@code sub, res, act, iat, nbf, exp, jti}) and their verify methods check
 * the same things ours does (signature, times, resource, action).
 */
final class TokenFixtures {
    static final String SUBJECT = "user-42";
    static final String RESOURCE = "asset/123/original";
    static final String ACTION = "download";
    static final AccessRequest REQUEST = AccessRequest.of(RESOURCE, ACTION);

    final byte[] hmacKey = new byte[32];
    final TokenService hmacService;
    final TokenService edService;
    final TokenSpec spec;
    final String hmacToken;
    final String edToken;
    final byte[] hmacSignedBytes;

    final SecretKey jjwtHmacKey;
    final JwtParser jjwtHmacParser;
    final KeyPair jdkEdKeys;
    final JwtParser jjwtEdParser;
    final String jjwtHmacToken;
    final String jjwtEdToken;

    final MACSigner nimbusSigner;
    final MACVerifier nimbusVerifier;
    final String nimbusHmacToken;
    final Ed25519Signer nimbusEdSigner;
    final Ed25519Verifier nimbusEdVerifier;
    final String nimbusEdToken;

    TokenFixtures() throws GeneralSecurityException, JOSEException {
        new SecureRandom().nextBytes(hmacKey);
        hmacService = TokenService.builder(new InMemoryKeySource(KeyRing.of(TokenKey.hmacSha256("k1", hmacKey)))).build();
        edService = TokenService.builder(new InMemoryKeySource(KeyRing.of(TokenKey.generate(KeyType.ED25519, "e1")))).build();
        spec = TokenSpec.builder().subject(SUBJECT).resource(Resource.exact(RESOURCE)).actions(ACTION)
                .lifetime(Duration.ofMinutes(10)).build();
        hmacToken = hmacService.issue(spec).token();
        edToken = edService.issue(spec).token();
        hmacSignedBytes = hmacToken.substring(0, hmacToken.lastIndexOf('.')).getBytes(StandardCharsets.US_ASCII);

        jjwtHmacKey = new SecretKeySpec(hmacKey, "HmacSHA256");
        jjwtHmacParser = Jwts.parser().verifyWith(jjwtHmacKey).build();
        jdkEdKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        jjwtEdParser = Jwts.parser().verifyWith(jdkEdKeys.getPublic()).build();
        jjwtHmacToken = jjwtHs256();
        jjwtEdToken = jjwtEdDsa();

        nimbusSigner = new MACSigner(hmacKey);
        nimbusVerifier = new MACVerifier(hmacKey);
        nimbusHmacToken = nimbusHs256();
        OctetKeyPair edJwk = new OctetKeyPairGenerator(Curve.Ed25519).generate();
        nimbusEdSigner = new Ed25519Signer(edJwk);
        nimbusEdVerifier = new Ed25519Verifier(edJwk.toPublicJWK());
        nimbusEdToken = nimbusEdDsa();
    }

    String jjwtHs256() {
        Instant now = Instant.now();
        return Jwts.builder().subject(SUBJECT).claim("res", RESOURCE).claim("act", List.of(ACTION))
                .issuedAt(Date.from(now)).notBefore(Date.from(now)).expiration(Date.from(now.plusSeconds(600)))
                .id(UUID.randomUUID().toString()).signWith(jjwtHmacKey, Jwts.SIG.HS256).compact();
    }

    String jjwtEdDsa() {
        Instant now = Instant.now();
        return Jwts.builder().subject(SUBJECT).claim("res", RESOURCE).claim("act", List.of(ACTION))
                .issuedAt(Date.from(now)).notBefore(Date.from(now)).expiration(Date.from(now.plusSeconds(600)))
                .id(UUID.randomUUID().toString()).signWith(jdkEdKeys.getPrivate(), Jwts.SIG.EdDSA).compact();
    }

    String nimbusHs256() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), nimbusClaims());
        jwt.sign(nimbusSigner);
        return jwt.serialize();
    }

    String nimbusEdDsa() throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.EdDSA), nimbusClaims());
        jwt.sign(nimbusEdSigner);
        return jwt.serialize();
    }

    private static JWTClaimsSet nimbusClaims() {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().subject(SUBJECT).claim("res", RESOURCE)
                .claim("act", List.of(ACTION)).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(600))).jwtID(UUID.randomUUID().toString()).build();
    }

    /** A peer's verify as ours does it: signature, expiry and not-before (by jjwt itself), resource and action. */
    static Claims verifyJjwt(JwtParser parser, String token) {
        Claims c = parser.parseSignedClaims(token).getPayload();
        if (!RESOURCE.equals(c.get("res")) || !((List<?>) c.get("act")).contains(ACTION)) {
            throw new IllegalStateException("claims");
        }
        return c;
    }

    /** The same for nimbus, which leaves the time checks to its caller. */
    static JWTClaimsSet verifyNimbus(String token, JWSVerifier verifier) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        if (!jwt.verify(verifier)) {
            throw new IllegalStateException("signature");
        }
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        Date now = new Date();
        if (c.getExpirationTime().before(now) || c.getNotBeforeTime().after(now)
                || !RESOURCE.equals(c.getStringClaim("res")) || !c.getStringListClaim("act").contains(ACTION)) {
            throw new IllegalStateException("claims");
        }
        return c;
    }
}
