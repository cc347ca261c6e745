package io.mediastore.passwords.internal;

import io.mediastore.passwords.Argon2Type;
import io.mediastore.passwords.PasswordException;
import io.mediastore.passwords.PasswordException.Reason;

/**
 * An Argon2 digest in PHC string format,
 * {@code $argon2id$v=19$m=19456,t=2,p=1[,keyid=..][,data=..]$<salt>$<tag>}, parsed strictly: one
 * spelling per value (decimal without leading zeros, parameters in the order of the PHC
 * specification, canonical unpadded Base64), so parse and format are inverses.
 *
 * <p>Version 1.0 digests are the one exception, as both spellings are in the wild: libargon2 before
 * 20160406 wrote no {@code v=} field, the reference CLI and libargon2 since write {@code v=16}.
 * Both parse, and {@link #explicitVersion()} records which was read so that {@link #format()}
 * writes the same string back; version 1.3 always carries {@code v=19}.
 */
public record PhcArgon2(Argon2Type type, int version, boolean explicitVersion, int memoryKiB, int iterations,
                        int parallelism, byte[] keyId, byte[] data, byte[] salt, byte[] tag) {

    /** @throws IllegalArgumentException for a version other than 1.0 without its {@code v=} field */
    public PhcArgon2 {
        if (!explicitVersion && version != 0x10) {
            throw new IllegalArgumentException("only version 1.0 (0x10) digests may leave out v=");
        }
    }

    /** A digest spelled as the reference implementation writes it today: always with {@code v=}. */
    public PhcArgon2(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism,
                     byte[] keyId, byte[] data, byte[] salt, byte[] tag) {
        this(type, version, true, memoryKiB, iterations, parallelism, keyId, data, salt, tag);
    }

    /** Longest digest string looked at; longer input is refused before it is split. */
    public static final int MAX_LENGTH = 1024;
    public static final int MAX_KEYID_LENGTH = 8;
    public static final int MAX_DATA_LENGTH = 32;

    /** Cost ceilings checked while parsing, before anything is allocated for the digest. */
    public record Ceiling(int maxMemoryKiB, int maxIterations, int maxParallelism) {}

    /** True when {@code s} claims to be an Argon2 PHC string (then it is either parsed or refused). */
    public static boolean claims(String s) {
        return s.startsWith("$argon2");
    }

    public static PhcArgon2 parse(String s, Ceiling ceiling) {
        if (s == null) {
            throw new PasswordException(Reason.NULL_DIGEST, "stored digest is null");
        }
        if (s.length() > MAX_LENGTH) {
            throw malformed("longer than " + MAX_LENGTH + " characters");
        }
        if (!s.startsWith("$")) {
            throw malformed("does not start with '$'");
        }
        String[] f = s.substring(1).split("\\$", -1);
        if (f.length < 4 || f.length > 5) {
            throw malformed("expected 4 or 5 '$'-separated fields, found " + f.length);
        }
        Argon2Type type = switch (f[0]) {
            case "argon2id" -> Argon2Type.ARGON2ID;
            case "argon2i" -> Argon2Type.ARGON2I;
            case "argon2d" -> Argon2Type.ARGON2D;
            default -> throw new PasswordException(Reason.UNSUPPORTED_ALGORITHM,
                    "unsupported algorithm in stored digest");
        };
        int i = 1;
        int version = 0x10; // digests from before version 1.3 may carry no v= field
        boolean explicitVersion = f.length == 5;
        if (explicitVersion) {
            if (!f[1].startsWith("v=")) {
                throw malformed("second field is not v=<version>");
            }
            long v = decimal(f[1].substring(2), "v");
            if (v != 0x13 && v != 0x10) {
                throw new PasswordException(Reason.UNSUPPORTED_ALGORITHM, "unsupported Argon2 version " + v);
            }
            version = (int) v;
            i = 2;
        }
        String[] params = f[i].split(",", -1);
        if (params.length < 3 || params.length > 5) {
            throw malformed("expected m, t, p and optionally keyid and data");
        }
        long m = decimal(value(params[0], "m"), "m");
        long t = decimal(value(params[1], "t"), "t");
        long p = decimal(value(params[2], "p"), "p");
        byte[] keyId = null;
        byte[] data = null;
        int k = 3;
        if (k < params.length && params[k].startsWith("keyid=")) {
            keyId = base64(value(params[k], "keyid"), "keyid", 1, MAX_KEYID_LENGTH);
            k++;
        }
        if (k < params.length && params[k].startsWith("data=")) {
            data = base64(value(params[k], "data"), "data", 1, MAX_DATA_LENGTH);
            k++;
        }
        if (k != params.length) {
            throw malformed("unknown or misplaced parameter");
        }
        if (p < 1 || p > io.mediastore.passwords.Argon2Parameters.MAX_PARALLELISM) {
            throw malformed("p out of Argon2's range");
        }
        if (t < 1) {
            throw malformed("t must be at least 1");
        }
        if (m < 8 * p) {
            throw malformed("m must be at least 8 * p");
        }
        if (m > ceiling.maxMemoryKiB() || t > ceiling.maxIterations() || p > ceiling.maxParallelism()) {
            throw new PasswordException(Reason.PARAMETERS_OUT_OF_RANGE, "digest parameters m=" + m + ",t=" + t
                    + ",p=" + p + " exceed the ceiling m<=" + ceiling.maxMemoryKiB() + ",t<="
                    + ceiling.maxIterations() + ",p<=" + ceiling.maxParallelism());
        }
        byte[] salt = base64(f[i + 1], "salt", io.mediastore.passwords.Argon2Parameters.MIN_SALT_LENGTH,
                io.mediastore.passwords.Argon2Parameters.MAX_SALT_LENGTH);
        byte[] tag = base64(f[i + 2], "tag", io.mediastore.passwords.Argon2Parameters.MIN_TAG_LENGTH,
                io.mediastore.passwords.Argon2Parameters.MAX_TAG_LENGTH);
        return new PhcArgon2(type, version, explicitVersion, (int) m, (int) t, (int) p, keyId, data, salt, tag);
    }

    public String format() {
        StringBuilder sb = new StringBuilder(128).append('$').append(type.phcName());
        if (explicitVersion) {
            sb.append("$v=").append(version);
        }
        sb.append("$m=").append(memoryKiB).append(",t=").append(iterations).append(",p=").append(parallelism);
        if (keyId != null) {
            sb.append(",keyid=").append(B64.encode(keyId));
        }
        if (data != null) {
            sb.append(",data=").append(B64.encode(data));
        }
        return sb.append('$').append(B64.encode(salt)).append('$').append(B64.encode(tag)).toString();
    }

    private static String value(String param, String name) {
        if (!param.startsWith(name + "=")) {
            throw malformed("expected parameter " + name);
        }
        return param.substring(name.length() + 1);
    }

    private static long decimal(String s, String name) {
        // no sign, no leading zeros, at most 10 digits: one spelling per number, no overflow
        if (s.isEmpty() || s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
            throw malformed(name + " is not a canonical decimal");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw malformed(name + " is not a canonical decimal");
            }
            v = v * 10 + (c - '0');
        }
        if (v > Integer.MAX_VALUE) {
            throw new PasswordException(Reason.PARAMETERS_OUT_OF_RANGE, name + " exceeds 2^31 - 1");
        }
        return v;
    }

    private static byte[] base64(String s, String name, int min, int max) {
        if (s.length() > (max * 4 + 2) / 3) {
            throw malformed(name + " is longer than " + max + " bytes");
        }
        byte[] b = B64.decode(s);
        if (b == null) {
            throw malformed(name + " is not canonical unpadded Base64");
        }
        if (b.length < min || b.length > max) {
            throw malformed(name + " must be " + min + " to " + max + " bytes, was " + b.length);
        }
        return b;
    }

    private static PasswordException malformed(String why) {
        return new PasswordException(Reason.MALFORMED_DIGEST, "malformed Argon2 digest: " + why);
    }
}
