package io.mediastore.tokens;

import io.mediastore.tokens.TokenRejectedException.Reason;
import io.mediastore.tokens.spi.InMemoryReplayGuard;
import io.mediastore.tokens.spi.InMemoryRevocationList;
import io.mediastore.tokens.spi.KeySource;
import io.mediastore.tokens.spi.ReplayGuard;
import io.mediastore.tokens.spi.RevocationList;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Issues and verifies temporary access tokens. Thread-safe and immutable; build one with
 * {@link #builder(KeySource)} and share it.
 *
 * <p>The active key's {@link KeyType} decides the format of issued tokens: compact {@code ms1}
 * tokens for {@code HMAC_SHA256} and {@code ED25519} keys, PASETO v4 for PASETO keys. On verify, the key
 * found by the token's key id decides how it is checked; nothing in a token selects an algorithm.
 *
 * <p>{@link #verify} checks, in this order: size, format, key, signature, expiry and not-before (with
 * leeway), resource, action, bindings, revocation and, last, the use count (so a refused request never
 * spends a use). Every refusal is a {@link TokenRejectedException} with its {@link Reason}.
 */
@Singleton
public final class TokenService {
    /** Default largest accepted token, in characters, checked before any parsing. */
    public static final int DEFAULT_MAX_TOKEN_LENGTH = 4096;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeySource keySource;
    private final Clock clock;
    private final Duration leeway;
    private final long leewaySeconds;
    private final Duration maxLifetime;
    private final int maxTokenLength;
    private final ReplayGuard replayGuard;
    private final RevocationList revocationList;

    private TokenService(Builder b) {
        this.keySource = b.keySource;
        this.clock = b.clock;
        this.leeway = b.leeway;
        this.leewaySeconds = b.leeway.getSeconds();
        this.maxLifetime = b.maxLifetime;
        this.maxTokenLength = b.maxTokenLength;
        this.replayGuard = b.replayGuard != null ? b.replayGuard
                : discover(ReplayGuard.class, InMemoryReplayGuard.class,
                        () -> new InMemoryReplayGuard(InMemoryReplayGuard.DEFAULT_CAPACITY, b.clock));
        this.revocationList = b.revocationList != null ? b.revocationList
                // a subject's cut-off must outlive every token it revokes: this service's longest lifetime
                : discover(RevocationList.class, InMemoryRevocationList.class,
                        () -> new InMemoryRevocationList(b.clock, b.maxLifetime.plus(b.leeway)));
    }

    /** For DI containers: every default except the given key source, replay guard and revocation list. */
    @Inject
    public TokenService(KeySource keySource, ReplayGuard replayGuard, RevocationList revocationList) {
        this(builder(keySource).replayGuard(replayGuard).revocationList(revocationList));
    }

    /** A builder with the safe defaults: 30 s leeway, 24 h maximum lifetime, 4096-character limit. */
    public static Builder builder(KeySource keySource) {
        return new Builder(keySource);
    }

    /**
     * A builder whose key source is the first {@link KeySource} plugin registered with ServiceLoader
     * ({@code META-INF/services/io.mediastore.tokens.spi.KeySource}).
     *
     * @throws IllegalStateException if no plugin is registered (the built-in sources need configuration:
     *                               pass one to {@link #builder(KeySource)})
     */
    public static Builder builder() {
        return builder(ServiceLoader.load(KeySource.class).findFirst().orElseThrow(() -> new IllegalStateException(
                "no KeySource plugin registered: pass a KeySource to TokenService.builder(KeySource)")));
    }

    /** A plugin found by ServiceLoader other than our own default, else the default. */
    private static <T> T discover(Class<T> type, Class<? extends T> builtIn, Supplier<T> fallback) {
        return ServiceLoader.load(type).stream()
                .filter(p -> p.type() != builtIn)
                .findFirst()
                .<T>map(ServiceLoader.Provider::get)
                .orElseGet(fallback);
    }

    /**
     * Issues a token with the ring's active key.
     *
     * @throws IllegalArgumentException if the expiry is not after now and not-before, or beyond the maximum lifetime
     * @throws IllegalStateException    if the key ring has no active (signing) key
     */
    public IssuedToken issue(TokenSpec spec) {
        TokenKey key = keySource.keyRing().active()
                .orElseThrow(() -> new IllegalStateException("the key ring has no active signing key"));
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        // a not-before before 1970 means "from the start", which no token format spells otherwise
        Instant nbf = spec.notBefore() == null ? now
                : Instant.ofEpochSecond(Math.max(0, spec.notBefore().getEpochSecond()));
        if (spec.expiresAt() == null && spec.lifetime().compareTo(maxLifetime) > 0) {
            throw new IllegalArgumentException("the lifetime exceeds the maximum of " + maxLifetime);
        }
        Instant exp = spec.expiresAt() != null ? spec.expiresAt() : now.plus(spec.lifetime());
        exp = Instant.ofEpochSecond(exp.getEpochSecond());
        if (!exp.isAfter(now) || !exp.isAfter(nbf)) {
            throw new IllegalArgumentException("the expiry must be after now and after not-before");
        }
        if (Duration.between(now, exp).compareTo(maxLifetime) > 0) {
            throw new IllegalArgumentException("the lifetime exceeds the maximum of " + maxLifetime);
        }
        byte[] id = new byte[CompactCodec.TOKEN_ID_BYTES];
        RANDOM.nextBytes(id);
        String tokenId = io.mediastore.tokens.internal.Base64Url.encode(id);
        Grant g = new Grant(tokenId, key.keyId(), spec.subject(), spec.resource(), spec.actions(), now, nbf, exp,
                spec.maxUses(), spec.bindings());
        String token = switch (key.type()) {
            case HMAC_SHA256, ED25519 -> CompactCodec.encode(key, id, g);
            case PASETO_V4_LOCAL, PASETO_V4_PUBLIC -> PasetoCodec.encode(key, tokenId, g);
        };
        return new IssuedToken(token, g);
    }

    /**
     * Verifies a token for one request and, for limited-use tokens, spends one use.
     *
     * @return the verified grant
     * @throws TokenRejectedException with the reason, for every token that does not allow the request
     */
    public Grant verify(String token, AccessRequest request) {
        return verify(token, request, request.resource());
    }

    /**
     * For URL-shaped requests ({@link SignedUrls}): an exact grant is checked against the request's resource
     * (path and signed query), a prefix grant against {@code pathForPrefix} alone, as a prefix signs no query.
     */
    Grant verify(String token, AccessRequest request, String pathForPrefix) {
        Grant g = authenticate(token);
        checkTimes(g);
        if (!g.resource().covers(g.resource().prefix() ? pathForPrefix : request.resource())) {
            throw reject(Reason.WRONG_RESOURCE, "the token does not cover the requested resource");
        }
        if (!g.actions().contains(request.action())) {
            throw reject(Reason.WRONG_ACTION, "the token does not allow the requested action");
        }
        if (!g.bindings().isEmpty()) {
            String why = g.bindings().mismatch(request.client());
            if (why != null) {
                throw reject(Reason.BINDING_MISMATCH, why);
            }
        }
        checkRevocation(g);
        if (g.maxUses() > 0 && !replayGuard.tryUse(g.tokenId(), g.maxUses(), g.expiresAt().plus(leeway))) {
            throw reject(Reason.ALREADY_USED, "the token has been used up");
        }
        return g;
    }

    /**
     * Checks a token's signature, times and revocation without a request and without spending a use:
     * for refresh flows and diagnostics, never as the access check itself.
     */
    public Grant inspect(String token) {
        Grant g = authenticate(token);
        checkTimes(g);
        checkRevocation(g);
        return g;
    }

    private Grant authenticate(String token) {
        if (token == null || token.isEmpty()) {
            throw reject(Reason.MALFORMED, "no token");
        }
        if (token.length() > maxTokenLength) {
            throw reject(Reason.MALFORMED, "token longer than " + maxTokenLength + " characters");
        }
        if (token.startsWith(CompactCodec.PREFIX)) {
            return CompactCodec.decode(token, keySource.keyRing());
        }
        if (token.startsWith("v4.")) {
            return PasetoCodec.decode(token, keySource.keyRing());
        }
        throw reject(Reason.MALFORMED, "not a token of a supported format");
    }

    private void checkTimes(Grant g) {
        long now = clock.millis();
        if (now > millis(g.expiresAt().getEpochSecond() + leewaySeconds)) {
            throw reject(Reason.EXPIRED, "the token has expired");
        }
        if (now < millis(g.notBefore().getEpochSecond() - leewaySeconds)) {
            throw reject(Reason.NOT_YET_VALID, "the token is not valid yet");
        }
        // an issue time from the future would escape "revoke everything issued up to now" for good
        if (now < millis(g.issuedAt().getEpochSecond() - leewaySeconds)) {
            throw reject(Reason.NOT_YET_VALID, "the token was issued in the future");
        }
    }

    /** Seconds to milliseconds, saturating: a far-future time in a foreign PASETO token must not wrap around. */
    private static long millis(long seconds) {
        if (seconds >= Long.MAX_VALUE / 1000) {
            return Long.MAX_VALUE;
        }
        return seconds <= Long.MIN_VALUE / 1000 ? Long.MIN_VALUE : seconds * 1000;
    }

    private void checkRevocation(Grant g) {
        if (revocationList.isRevoked(g.tokenId(), g.subject(), g.issuedAt())) {
            throw reject(Reason.REVOKED, "the token was revoked");
        }
    }

    /** Revokes one token until it expires. */
    public void revoke(Grant grant) {
        revocationList.revokeToken(grant.tokenId(), grant.expiresAt().plus(leeway));
    }

    /**
     * Revokes every token of the subject issued up to now ("sign this user out everywhere"), and up to the
     * leeway beyond: issue times come from the issuing node's clock, and one running ahead by up to the
     * leeway must not issue a token that escapes. Tokens issued to the subject within the leeway after this
     * call are revoked too.
     */
    public void revokeSubject(String subject) {
        revocationList.revokeSubject(Objects.requireNonNull(subject, "subject"), clock.instant().plus(leeway));
    }

    public Clock clock() {
        return clock;
    }

    public Duration maxLifetime() {
        return maxLifetime;
    }

    static TokenRejectedException reject(Reason reason, String message) {
        return new TokenRejectedException(reason, message);
    }

    @Override
    public String toString() {
        return "TokenService[" + keySource + ", leeway=" + leeway + ", maxLifetime=" + maxLifetime + "]";
    }

    /** Configures a {@link TokenService}; {@link #build()} validates. */
    public static final class Builder {
        private final KeySource keySource;
        private Clock clock = Clock.systemUTC();
        private Duration leeway = Duration.ofSeconds(30);
        private Duration maxLifetime = Duration.ofHours(24);
        private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
        private ReplayGuard replayGuard;
        private RevocationList revocationList;

        private Builder(KeySource keySource) {
            this.keySource = Objects.requireNonNull(keySource, "keySource");
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Clock-skew allowance on expiry and not-before (default 30 s, at most 5 min, whole seconds). */
        public Builder leeway(Duration leeway) {
            this.leeway = Objects.requireNonNull(leeway, "leeway");
            return this;
        }

        /** The longest lifetime {@link #issue} accepts (default 24 h). */
        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = Objects.requireNonNull(maxLifetime, "maxLifetime");
            return this;
        }

        /** Tokens longer than this are refused before parsing (default 4096). */
        public Builder maxTokenLength(int maxTokenLength) {
            this.maxTokenLength = maxTokenLength;
            return this;
        }

        /** Installs a replay guard (default: a ServiceLoader plugin, else {@link InMemoryReplayGuard}). */
        public Builder replayGuard(ReplayGuard replayGuard) {
            this.replayGuard = Objects.requireNonNull(replayGuard, "replayGuard");
            return this;
        }

        /** Installs a revocation list (default: a ServiceLoader plugin, else {@link InMemoryRevocationList}). */
        public Builder revocationList(RevocationList revocationList) {
            this.revocationList = Objects.requireNonNull(revocationList, "revocationList");
            return this;
        }

        public TokenService build() {
            if (leeway.isNegative() || leeway.compareTo(Duration.ofMinutes(5)) > 0 || leeway.getNano() != 0) {
                throw new IllegalArgumentException("leeway is 0 to 300 whole seconds");
            }
            if (maxLifetime.isNegative() || maxLifetime.isZero()) {
                throw new IllegalArgumentException("maxLifetime must be positive");
            }
            if (maxTokenLength < 128 || maxTokenLength > 65536) {
                throw new IllegalArgumentException("maxTokenLength is 128 to 65536");
            }
            return new TokenService(this);
        }
    }
}
