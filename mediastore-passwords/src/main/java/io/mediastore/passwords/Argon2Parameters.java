package io.mediastore.passwords;

/**
 * Immutable Argon2id cost parameters for new digests. {@link #defaults()} is OWASP's minimum
 * recommendation: m=19456 KiB, t=2, p=1, with a 16-byte salt and a 32-byte tag. Build variants with
 * {@link #toBuilder()}; {@link Builder#build()} refuses values Argon2 or the PHC format cannot
 * represent with an {@link IllegalArgumentException} that names the field and its valid range.
 */
public final class Argon2Parameters {
    /** RFC 9106 needs at least 8 KiB per lane; the type is a Java int, so at most 2^31 - 1. */
    public static final int MIN_MEMORY_KIB_PER_LANE = 8;
    public static final int MAX_PARALLELISM = (1 << 24) - 1;
    public static final int MIN_SALT_LENGTH = 8;
    public static final int MAX_SALT_LENGTH = 256;
    public static final int MIN_TAG_LENGTH = 4;
    public static final int MAX_TAG_LENGTH = 512;

    private static final Argon2Parameters DEFAULTS = builder().build();

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final int saltLength;
    private final int tagLength;

    private Argon2Parameters(Builder b) {
        this.memoryKiB = b.memoryKiB;
        this.iterations = b.iterations;
        this.parallelism = b.parallelism;
        this.saltLength = b.saltLength;
        this.tagLength = b.tagLength;
    }

    /** OWASP's m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte tag. */
    public static Argon2Parameters defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().memoryKiB(memoryKiB).iterations(iterations).parallelism(parallelism)
                .saltLength(saltLength).tagLength(tagLength);
    }

    public int memoryKiB() {
        return memoryKiB;
    }

    public int iterations() {
        return iterations;
    }

    public int parallelism() {
        return parallelism;
    }

    public int saltLength() {
        return saltLength;
    }

    public int tagLength() {
        return tagLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Argon2Parameters p && p.memoryKiB == memoryKiB && p.iterations == iterations
                && p.parallelism == parallelism && p.saltLength == saltLength && p.tagLength == tagLength;
    }

    @Override
    public int hashCode() {
        return ((((memoryKiB * 31) + iterations) * 31 + parallelism) * 31 + saltLength) * 31 + tagLength;
    }

    @Override
    public String toString() {
        return "Argon2id[m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism
                + ", salt=" + saltLength + "B, tag=" + tagLength + "B]";
    }

    /** Mutable builder; validation happens in {@link #build()}. */
    public static final class Builder {
        private int memoryKiB = 19456;
        private int iterations = 2;
        private int parallelism = 1;
        private int saltLength = 16;
        private int tagLength = 32;

        private Builder() {}

        /** Memory cost m in KiB; at least 8 per lane. */
        public Builder memoryKiB(int memoryKiB) {
            this.memoryKiB = memoryKiB;
            return this;
        }

        /** Time cost t (passes over memory); at least 1. */
        public Builder iterations(int iterations) {
            this.iterations = iterations;
            return this;
        }

        /** Parallelism p (lanes), 1 to 2^24 - 1. */
        public Builder parallelism(int parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /** Salt length in bytes, 8 to 256. */
        public Builder saltLength(int saltLength) {
            this.saltLength = saltLength;
            return this;
        }

        /** Tag (hash output) length in bytes, 4 to 512. */
        public Builder tagLength(int tagLength) {
            this.tagLength = tagLength;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field out of range */
        public Argon2Parameters build() {
            if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
                throw new IllegalArgumentException("parallelism must be in [1, " + MAX_PARALLELISM + "], was " + parallelism);
            }
            if (memoryKiB < MIN_MEMORY_KIB_PER_LANE * parallelism) {
                throw new IllegalArgumentException("memoryKiB must be at least 8 * parallelism = "
                        + (MIN_MEMORY_KIB_PER_LANE * parallelism) + ", was " + memoryKiB);
            }
            if (iterations < 1) {
                throw new IllegalArgumentException("iterations must be at least 1, was " + iterations);
            }
            if (saltLength < MIN_SALT_LENGTH || saltLength > MAX_SALT_LENGTH) {
                throw new IllegalArgumentException("saltLength must be in [" + MIN_SALT_LENGTH + ", "
                        + MAX_SALT_LENGTH + "] bytes, was " + saltLength);
            }
            if (tagLength < MIN_TAG_LENGTH || tagLength > MAX_TAG_LENGTH) {
                throw new IllegalArgumentException("tagLength must be in [" + MIN_TAG_LENGTH + ", "
                        + MAX_TAG_LENGTH + "] bytes, was " + tagLength);
            }
            return new Argon2Parameters(this);
        }
    }
}
