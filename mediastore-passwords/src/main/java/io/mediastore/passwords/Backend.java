package io.mediastore.passwords;

/** Which Argon2 implementation computes digests. Both give identical results. */
public enum Backend {
    /** Native libargon2 when it loads, otherwise {@link #PURE_JAVA} (logged once). */
    AUTO,
    /** Native libargon2 through argon2-jvm; building a hasher fails if it cannot load. */
    NATIVE,
    /** Argon2 in plain Java over pooled memory blocks; runs wherever the JVM runs. */
    PURE_JAVA
}
