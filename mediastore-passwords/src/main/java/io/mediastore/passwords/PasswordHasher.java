package io.mediastore.passwords;

import io.mediastore.passwords.PasswordException.Reason;
import io.mediastore.passwords.internal.Argon2Engine;
import io.mediastore.passwords.internal.Engines;
import io.mediastore.passwords.internal.MemoryBudget;
import io.mediastore.passwords.internal.PhcArgon2;
import io.mediastore.passwords.internal.Utf8;
import io.mediastore.passwords.spi.LegacyVerifier;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Hashes passwords into Argon2id PHC strings and verifies them, with re-hash on login, an optional
 * rotating pepper, migration from legacy digests and a memory budget. Thread-safe; build one per
 * application and share it.
 *
 * <pre>{@code
 * PasswordHasher hasher = PasswordHasher.builder().build();
 * String stored = hasher.hash(password);           // $argon2id$v=19$m=19456,t=2,p=1$...
 * Verification v = hasher.verify(attempt, stored);
 * if (v.matched()) { v.replacement().ifPresent(newDigest -> save(user, newDigest)); }
 * }</pre>
 *
 * <p>Every method that takes a {@code char[]} password wipes it (fills it with zeros) before
 * returning, whether it succeeds or throws. Refusals are {@link PasswordException}s with a {@link
 * Reason}; a full memory budget (shared by Argon2 and legacy verifications) is {@link
 * HasherBusyException}. A {@link PepperKey} destroyed while
 * the hasher holds it makes every call that needs it throw {@link IllegalStateException}: no digest
 * is ever made or checked with a wiped pepper.
 */
@Singleton
public final class PasswordHasher {
    /** Default longest accepted password, in chars. */
    public static final int DEFAULT_MAX_PASSWORD_LENGTH = 4096;
    /** Default cost ceilings for stored digests: m <= 256 MiB, t <= 64, p <= 64. */
    public static final int DEFAULT_MAX_MEMORY_KIB = 256 * 1024;
    public static final int DEFAULT_MAX_ITERATIONS = 64;
    public static final int DEFAULT_MAX_PARALLELISM = 64;
    public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(5);

    private final Argon2Parameters parameters;
    private final Argon2Engine engine;
    private final MemoryBudget budget;
    private final PepperKey currentPepper;
    private final Map<String, PepperKey> pepperKeys;
    private final List<LegacyVerifier> legacyVerifiers;
    private final int maxPasswordLength;
    private final PhcArgon2.Ceiling ceiling;
    private final SecureRandom random;

    /** For DI containers: the defaults, as {@code builder().build()}. */
    @Inject
    public PasswordHasher() {
        this(new Builder());
    }

    private PasswordHasher(Builder b) {
        this.parameters = b.parameters;
        this.engine = Engines.select(b.backend);
        this.budget = new MemoryBudget(b.budgetKiB(), b.acquireTimeout.toNanos());
        this.currentPepper = b.currentPepper;
        this.pepperKeys = Map.copyOf(b.pepperKeys);
        this.legacyVerifiers = List.copyOf(b.legacyVerifiers != null ? b.legacyVerifiers : discoverLegacyVerifiers());
        this.maxPasswordLength = b.maxPasswordLength;
        this.ceiling = new PhcArgon2.Ceiling(Math.min(b.maxMemoryKiB, budget.budgetKiB()), b.maxIterations,
                b.maxParallelism);
        this.random = b.random != null ? b.random : new SecureRandom();
        if (parameters.memoryKiB() > ceiling.maxMemoryKiB() || parameters.iterations() > ceiling.maxIterations()
                || parameters.parallelism() > ceiling.maxParallelism()) {
            throw new IllegalArgumentException(parameters + " exceed the configured ceiling or memory budget "
                    + "(m<=" + ceiling.maxMemoryKiB() + ",t<=" + ceiling.maxIterations() + ",p<="
                    + ceiling.maxParallelism() + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private static List<LegacyVerifier> discoverLegacyVerifiers() {
        List<LegacyVerifier> found = new ArrayList<>();
        ServiceLoader.load(LegacyVerifier.class, PasswordHasher.class.getClassLoader()).forEach(found::add);
        return found;
    }

    /** The parameters of new digests. */
    public Argon2Parameters parameters() {
        return parameters;
    }

    /** The backend in use: {@link Backend#NATIVE} or {@link Backend#PURE_JAVA}, never AUTO. */
    public Backend backend() {
        return engine.backend();
    }

    /** The legacy verifiers consulted for non-Argon2 digests, in order. */
    public List<LegacyVerifier> legacyVerifiers() {
        return legacyVerifiers;
    }

    /** A snapshot of the memory budget: size, in use now, peak in use, calls refused as busy. */
    public BudgetStats budgetStats() {
        return new BudgetStats(budget.budgetKiB(), budget.inUseKiB(), budget.peakKiB(), budget.refusedCount());
    }

    /** The cost ceiling, already lowered to the memory budget; what {@link Calibration} may go up to. */
    PhcArgon2.Ceiling ceiling() {
        return ceiling;
    }

    /** Memory budget counters, in KiB. */
    public record BudgetStats(long budgetKiB, long inUseKiB, long peakInUseKiB, long refusedCalls) {}

    /**
     * Hashes {@code password} into a new Argon2id PHC string with a fresh random salt, peppered
     * under the current pepper key if one is configured. Wipes {@code password}.
     *
     * @throws PasswordException NULL_PASSWORD, EMPTY_PASSWORD, PASSWORD_TOO_LONG, MALFORMED_PASSWORD
     * @throws HasherBusyException when the memory budget stays exhausted for the configured wait
     * @throws IllegalStateException when the current pepper key has been destroyed
     */
    public String hash(char[] password) {
        byte[] pw = encode(password);
        try {
            return hashBytes(pw);
        } finally {
            Arrays.fill(pw, (byte) 0);
            Arrays.fill(password, '\0');
        }
    }

    /**
     * Verifies {@code password} against {@code stored}: an Argon2 PHC string, or a legacy digest one
     * of the {@link #legacyVerifiers()} recognizes. On a match, says whether the digest should be
     * replaced and carries the replacement. Wipes {@code password}.
     *
     * @throws PasswordException for a bad password (as {@link #hash}), or NULL_DIGEST,
     *     MALFORMED_DIGEST, UNSUPPORTED_ALGORITHM, PARAMETERS_OUT_OF_RANGE (checked before any
     *     allocation) or UNKNOWN_PEPPER_KEY for a stored digest that cannot be verified
     * @throws HasherBusyException when the memory budget stays exhausted for the configured wait
     * @throws IllegalStateException when the current pepper key, or the one the digest names, has
     *     been destroyed (checked before any hashing, so the outcome does not depend on the password)
     */
    public Verification verify(char[] password, String stored) {
        byte[] pw = encode(password);
        try {
            // a match needs the current key for its replacement digest: refuse now, not only on a match
            checkCurrentPepper();
            if (stored == null) {
                throw new PasswordException(Reason.NULL_DIGEST, "stored digest is null");
            }
            if (PhcArgon2.claims(stored)) {
                return verifyArgon2(pw, PhcArgon2.parse(stored, ceiling));
            }
            return verifyLegacy(password, pw, stored);
        } finally {
            Arrays.fill(pw, (byte) 0);
            Arrays.fill(password, '\0');
        }
    }

    /**
     * For a login whose user does not exist: costs the same as verifying a digest made with the
     * current parameters (and pepper), so response time does not tell which accounts exist. Always
     * a mismatch. Wipes {@code password}; refuses bad passwords, and a destroyed current pepper key,
     * exactly as {@link #verify} does.
     */
    public Verification verifyUnknownUser(char[] password) {
        byte[] pw = encode(password);
        try {
            checkCurrentPepper();
            byte[] salt = new byte[parameters.saltLength()];
            random.nextBytes(salt);
            byte[] input = currentPepper != null ? currentPepper.apply(pw) : pw;
            byte[] tag = new byte[parameters.tagLength()];
            try {
                compute(Argon2Type.ARGON2ID, 0x13, parameters.memoryKiB(), parameters.iterations(),
                        parameters.parallelism(), input, salt, null, null, tag);
            } finally {
                if (input != pw) {
                    Arrays.fill(input, (byte) 0);
                }
            }
            // compare against a random "stored" tag like a real verify does, then discard
            byte[] other = new byte[tag.length];
            random.nextBytes(other);
            MessageDigest.isEqual(tag, other);
            return Verification.mismatch();
        } finally {
            Arrays.fill(pw, (byte) 0);
            Arrays.fill(password, '\0');
        }
    }

    /**
     * The raw-bytes Argon2 (version 1.3) path, for test vectors and key derivation: no pepper, no
     * PHC encoding; {@code parameters.saltLength()} is ignored in favour of {@code salt.length}.
     * Runs under the memory budget and the ceilings like every other call.
     *
     * @param secret the optional secret value K, or null
     * @param associatedData the optional associated data X, or null
     * @throws NullPointerException for a null type, parameters, password or salt
     * @throws IllegalArgumentException for a salt shorter than 8 bytes or parameters beyond the ceiling
     * @throws HasherBusyException when the memory budget stays exhausted for the configured wait
     */
    public byte[] deriveRaw(Argon2Type type, Argon2Parameters parameters, byte[] password, byte[] salt,
                            byte[] secret, byte[] associatedData) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(salt, "salt");
        if (salt.length < Argon2Parameters.MIN_SALT_LENGTH) {
            throw new IllegalArgumentException("salt must be at least 8 bytes");
        }
        if (parameters.memoryKiB() > ceiling.maxMemoryKiB() || parameters.iterations() > ceiling.maxIterations()
                || parameters.parallelism() > ceiling.maxParallelism()) {
            throw new IllegalArgumentException(parameters + " exceed the configured ceiling or memory budget");
        }
        byte[] out = new byte[parameters.tagLength()];
        compute(type, 0x13, parameters.memoryKiB(), parameters.iterations(), parameters.parallelism(), password,
                salt, secret, associatedData, out);
        return out;
    }

    private void checkCurrentPepper() {
        if (currentPepper != null) {
            currentPepper.checkUsable();
        }
    }

    private Verification verifyArgon2(byte[] pw, PhcArgon2 d) {
        PepperKey key = null;
        if (d.keyId() != null) {
            key = pepperKeys.get(new String(d.keyId(), java.nio.charset.StandardCharsets.ISO_8859_1));
            if (key == null) {
                throw new PasswordException(Reason.UNKNOWN_PEPPER_KEY, "digest peppered with a key id this hasher does not hold");
            }
        }
        byte[] input = key != null ? key.apply(pw) : pw;
        byte[] tag = new byte[d.tag().length];
        try {
            compute(d.type(), d.version(), d.memoryKiB(), d.iterations(), d.parallelism(), input, d.salt(), null,
                    d.data(), tag);
        } finally {
            if (input != pw) {
                Arrays.fill(input, (byte) 0);
            }
        }
        boolean matched = MessageDigest.isEqual(tag, d.tag());
        Arrays.fill(tag, (byte) 0);
        if (!matched) {
            return Verification.mismatch();
        }
        Set<RehashReason> reasons = EnumSet.noneOf(RehashReason.class);
        if (d.type() != Argon2Type.ARGON2ID || d.version() != 0x13) {
            reasons.add(RehashReason.OUTDATED_ARGON2_VARIANT);
        }
        if (d.memoryKiB() < parameters.memoryKiB() || d.iterations() < parameters.iterations()
                || d.salt().length < parameters.saltLength() || d.tag().length < parameters.tagLength()) {
            reasons.add(RehashReason.WEAKER_PARAMETERS);
        }
        if (key != currentPepper) {
            reasons.add(RehashReason.PEPPER_KEY_ROTATED);
        }
        return reasons.isEmpty() ? Verification.match() : Verification.matchWithRehash(reasons, hashBytes(pw));
    }

    private Verification verifyLegacy(char[] password, byte[] pw, String stored) {
        for (LegacyVerifier v : legacyVerifiers) {
            if (!v.recognizes(stored)) {
                continue;
            }
            int kib = v.memoryKiB(stored);
            if (kib > budget.budgetKiB()) {
                throw new PasswordException(Reason.PARAMETERS_OUT_OF_RANGE, v.algorithm()
                        + " digest needs more memory than the hashing memory budget");
            }
            boolean matched;
            // bcrypt and PBKDF2 need no memory but as much CPU as a hash: every legacy verification
            // holds at least one hash's share of the budget, so a flood of legacy logins waits and
            // is refused as busy like Argon2 ones instead of occupying every core
            MemoryBudget.Lease lease = budget.acquire(Math.max(kib, parameters.memoryKiB()));
            // the verifier gets a copy: the contract forbids changing it, this makes sure
            char[] copy = password.clone();
            try {
                matched = v.verify(copy, stored);
            } catch (PasswordException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new PasswordException(Reason.MALFORMED_DIGEST, v.algorithm() + " verifier refused the digest", e);
            } finally {
                Arrays.fill(copy, '\0');
                lease.close();
            }
            if (!matched) {
                return Verification.mismatch();
            }
            return Verification.matchWithRehash(EnumSet.of(RehashReason.LEGACY_ALGORITHM), hashBytes(pw));
        }
        if (stored.matches("\\$[a-z0-9-]{1,32}\\$.*")) {
            throw new PasswordException(Reason.UNSUPPORTED_ALGORITHM, "no verifier for the stored digest's algorithm");
        }
        throw new PasswordException(Reason.MALFORMED_DIGEST, "stored digest is in no known format");
    }

    private String hashBytes(byte[] pw) {
        byte[] salt = new byte[parameters.saltLength()];
        random.nextBytes(salt);
        byte[] input = currentPepper != null ? currentPepper.apply(pw) : pw;
        byte[] tag = new byte[parameters.tagLength()];
        try {
            compute(Argon2Type.ARGON2ID, 0x13, parameters.memoryKiB(), parameters.iterations(),
                    parameters.parallelism(), input, salt, null, null, tag);
        } finally {
            if (input != pw) {
                Arrays.fill(input, (byte) 0);
            }
        }
        return new PhcArgon2(Argon2Type.ARGON2ID, 0x13, parameters.memoryKiB(), parameters.iterations(),
                parameters.parallelism(), currentPepper != null ? currentPepper.idBytes() : null, null, salt, tag)
                .format();
    }

    private void compute(Argon2Type type, int version, int m, int t, int p, byte[] input, byte[] salt,
                         byte[] secret, byte[] ad, byte[] out) {
        try (MemoryBudget.Lease lease = budget.acquire(m)) {
            engine.hash(type, version, m, t, p, input, salt, secret, ad, out, lease);
        }
    }

    private byte[] encode(char[] password) {
        if (password == null) {
            throw new PasswordException(Reason.NULL_PASSWORD, "password is null");
        }
        try {
            if (password.length == 0) {
                throw new PasswordException(Reason.EMPTY_PASSWORD, "password is empty");
            }
            if (password.length > maxPasswordLength) {
                throw new PasswordException(Reason.PASSWORD_TOO_LONG,
                        "password is longer than " + maxPasswordLength + " characters");
            }
            byte[] b = Utf8.encode(password);
            if (b == null) {
                throw new PasswordException(Reason.MALFORMED_PASSWORD, "password contains an unpaired surrogate");
            }
            return b;
        } catch (PasswordException e) {
            Arrays.fill(password, '\0');
            throw e;
        }
    }

    /** Builds a {@link PasswordHasher}; every setting has a safe default. */
    public static final class Builder {
        private Argon2Parameters parameters = Argon2Parameters.defaults();
        private Backend backend = Backend.AUTO;
        private PepperKey currentPepper;
        private final Map<String, PepperKey> pepperKeys = new LinkedHashMap<>();
        private List<LegacyVerifier> legacyVerifiers;
        private int memoryBudgetKiB;
        private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
        private int maxPasswordLength = DEFAULT_MAX_PASSWORD_LENGTH;
        private int maxMemoryKiB = DEFAULT_MAX_MEMORY_KIB;
        private int maxIterations = DEFAULT_MAX_ITERATIONS;
        private int maxParallelism = DEFAULT_MAX_PARALLELISM;
        private SecureRandom random;

        private Builder() {}

        /** Parameters of new digests; default {@link Argon2Parameters#defaults()}. */
        public Builder parameters(Argon2Parameters parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        /** Default {@link Backend#AUTO}. */
        public Builder backend(Backend backend) {
            this.backend = Objects.requireNonNull(backend, "backend");
            return this;
        }

        /** Peppers new digests under {@code key}; digests under it are accepted too. */
        public Builder pepper(PepperKey key) {
            this.currentPepper = Objects.requireNonNull(key, "key");
            return acceptPepperKey(key);
        }

        /** Accepts digests peppered under {@code key} (an earlier key while rotating); they report needs-rehash. */
        public Builder acceptPepperKey(PepperKey key) {
            Objects.requireNonNull(key, "key");
            PepperKey previous = pepperKeys.put(key.id(), key);
            if (previous != null && previous != key) {
                throw new IllegalArgumentException("two pepper keys with id " + key.id());
            }
            return this;
        }

        /** Replaces the ServiceLoader-discovered legacy verifiers with exactly these (empty: none). */
        public Builder legacyVerifiers(List<? extends LegacyVerifier> verifiers) {
            this.legacyVerifiers = List.copyOf(verifiers);
            return this;
        }

        /**
         * Total memory of concurrent hash computations, in KiB; stored digests needing more are
         * refused with PARAMETERS_OUT_OF_RANGE. A legacy verification counts as its own memory
         * need or one hash at the configured parameters, whichever is more, so the budget bounds
         * CPU-bound bcrypt and PBKDF2 checks too. Default: twice the processor count times the
         * memory of one hash (at least OWASP's 19456 KiB), at most half the heap, at least one hash.
         */
        public Builder memoryBudgetKiB(int kib) {
            if (kib < 8) {
                throw new IllegalArgumentException("memory budget must be at least 8 KiB");
            }
            this.memoryBudgetKiB = kib;
            return this;
        }

        /** How long a call waits for the memory budget before {@link HasherBusyException}; default 5 s. */
        public Builder acquireTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must not be negative");
            }
            this.acquireTimeout = timeout;
            return this;
        }

        /** Longest accepted password in chars; default 4096. */
        public Builder maxPasswordLength(int chars) {
            if (chars < 1) {
                throw new IllegalArgumentException("maxPasswordLength must be positive");
            }
            this.maxPasswordLength = chars;
            return this;
        }

        /**
         * Ceiling on the cost of stored digests and of the configured parameters; digests beyond it
         * are refused with PARAMETERS_OUT_OF_RANGE before any allocation. Default m <= 256 MiB,
         * t <= 64, p <= 64.
         */
        public Builder ceiling(int maxMemoryKiB, int maxIterations, int maxParallelism) {
            if (maxMemoryKiB < 8 || maxIterations < 1 || maxParallelism < 1) {
                throw new IllegalArgumentException("ceilings must be at least m=8, t=1, p=1");
            }
            this.maxMemoryKiB = maxMemoryKiB;
            this.maxIterations = maxIterations;
            this.maxParallelism = maxParallelism;
            return this;
        }

        /** Source of salts; default a new {@link SecureRandom}. */
        public Builder secureRandom(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        int budgetKiB() {
            if (memoryBudgetKiB > 0) {
                return memoryBudgetKiB;
            }
            long perHash = parameters.memoryKiB();
            // sized for the larger of our own and OWASP's parameters, so stored digests at the
            // defaults still verify when a hasher is configured cheaper
            long byCpu = 2L * Runtime.getRuntime().availableProcessors()
                    * Math.max(perHash, Argon2Parameters.defaults().memoryKiB());
            long byHeap = Runtime.getRuntime().maxMemory() / 2 / 1024;
            return (int) Math.min(Integer.MAX_VALUE, Math.max(perHash, Math.min(byCpu, byHeap)));
        }

        /**
         * @throws IllegalArgumentException when the parameters exceed the ceiling or the budget
         * @throws IllegalStateException when {@link Backend#NATIVE} was asked for and cannot load
         */
        public PasswordHasher build() {
            return new PasswordHasher(this);
        }
    }
}
