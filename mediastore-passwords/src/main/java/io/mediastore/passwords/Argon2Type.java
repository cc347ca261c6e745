package io.mediastore.passwords;

/** The three Argon2 variants of RFC 9106. New digests are always {@link #ARGON2ID}. */
public enum Argon2Type {
    /** Data-dependent memory access; verified for migration only. */
    ARGON2D(0, "argon2d"),
    /** Data-independent memory access; verified for migration only. */
    ARGON2I(1, "argon2i"),
    /** The hybrid RFC 9106 recommends, and the only one this module produces. */
    ARGON2ID(2, "argon2id");

    private final int id;
    private final String phcName;

    Argon2Type(int id, String phcName) {
        this.id = id;
        this.phcName = phcName;
    }

    /** The numeric type y hashed into H0. */
    public int id() {
        return id;
    }

    /** The identifier in a PHC string, for example {@code argon2id}. */
    public String phcName() {
        return phcName;
    }
}
