package io.mediastore.samples.shacrypt;

import io.mediastore.passwords.PasswordException;
import io.mediastore.passwords.PasswordException.Reason;
import io.mediastore.passwords.spi.LegacyVerifier;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * glibc's SHA-crypt digests, {@code $5$} (SHA-256) and {@code $6$} (SHA-512), with or without
 * {@code rounds=N$}, as written by {@code crypt(3)}, {@code openssl passwd -5/-6}, {@code mkpasswd} and
 * PHP's {@code crypt()}. Follows Ulrich Drepper's specification ("Unix crypt using SHA-256 and SHA-512").
 *
 * <p>Rounds above {@link #DEFAULT_MAX_ROUNDS} are refused with {@code PARAMETERS_OUT_OF_RANGE} unless
 * configured otherwise: a stored digest must not be able to make a login cost minutes of CPU.
 */
public final class ShaCryptVerifier implements LegacyVerifier {
    /** Highest accepted rounds by default (glibc's default is 5,000; its maximum 999,999,999). */
    public static final int DEFAULT_MAX_ROUNDS = 1_000_000;

    private static final int DEFAULT_ROUNDS = 5000;
    private static final int MIN_ROUNDS = 1000;
    private static final String ALPHABET = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern FORMAT = Pattern.compile(
            "\\$([56])\\$(?:rounds=([1-9][0-9]{0,8})\\$)?([^$:\\n]{0,16})\\$([./0-9A-Za-z]+)");

    // the order in which glibc packs the digest bytes, three at a time (first byte is the high one)
    private static final int[] SHA256_ORDER = {
        0, 10, 20, 21, 1, 11, 12, 22, 2, 3, 13, 23, 24, 4, 14, 15, 25, 5, 6, 16, 26, 27, 7, 17, 18, 28, 8, 9, 19, 29};
    private static final int[] SHA512_ORDER = {
        0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7, 50, 8, 29, 9, 30, 51,
        31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57, 37, 58, 16, 59, 17, 38, 18, 39, 60,
        40, 61, 19, 62, 20, 41, 63};

    private final int maxRounds;

    /** With the default ceiling, {@link #DEFAULT_MAX_ROUNDS}; this is the constructor ServiceLoader uses. */
    public ShaCryptVerifier() {
        this(DEFAULT_MAX_ROUNDS);
    }

    /** @param maxRounds the highest accepted rounds, 1,000 to 999,999,999 */
    public ShaCryptVerifier(int maxRounds) {
        if (maxRounds < MIN_ROUNDS || maxRounds > 999_999_999) {
            throw new IllegalArgumentException("SHA-crypt maxRounds must be in [1000, 999999999]");
        }
        this.maxRounds = maxRounds;
    }

    @Override
    public String algorithm() {
        return "sha-crypt";
    }

    @Override
    public boolean recognizes(String stored) {
        return stored.startsWith("$5$") || stored.startsWith("$6$");
    }

    @Override
    public boolean verify(char[] password, String stored) {
        Matcher m = FORMAT.matcher(stored);
        if (!m.matches()) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "malformed SHA-crypt digest");
        }
        boolean sha512 = m.group(1).equals("6");
        int hashChars = sha512 ? 86 : 43;
        if (m.group(4).length() != hashChars) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "SHA-crypt hash must be " + hashChars + " characters");
        }
        int rounds = DEFAULT_ROUNDS;
        if (m.group(2) != null) {
            long r = Long.parseLong(m.group(2));
            if (r < MIN_ROUNDS) {
                // glibc raises smaller values to 1000 and writes that, so no genuine digest says less
                throw new PasswordException(Reason.MALFORMED_DIGEST, "SHA-crypt rounds below 1000");
            }
            if (r > maxRounds) {
                throw new PasswordException(Reason.PARAMETERS_OUT_OF_RANGE,
                        "SHA-crypt rounds " + r + " exceed the ceiling " + maxRounds);
            }
            rounds = (int) r;
        }
        byte[] salt = m.group(3).getBytes(StandardCharsets.UTF_8);
        byte[] pw = utf8(password);
        try {
            byte[] digest = shaCrypt(sha512 ? "SHA-512" : "SHA-256", pw, salt, rounds);
            byte[] expected = encode(digest, sha512 ? SHA512_ORDER : SHA256_ORDER).getBytes(StandardCharsets.US_ASCII);
            Arrays.fill(digest, (byte) 0);
            return MessageDigest.isEqual(expected, m.group(4).getBytes(StandardCharsets.US_ASCII));
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static byte[] shaCrypt(String algorithm, byte[] p, byte[] s, int rounds) {
        MessageDigest md = digest(algorithm);
        int n = md.getDigestLength();

        md.update(p);
        md.update(s);
        md.update(p);
        byte[] b = md.digest();

        md.update(p);
        md.update(s);
        for (int left = p.length; left > 0; left -= n) {
            md.update(b, 0, Math.min(left, n));
        }
        for (int len = p.length; len > 0; len >>>= 1) {
            if ((len & 1) != 0) {
                md.update(b);
            } else {
                md.update(p);
            }
        }
        byte[] a = md.digest();

        for (int i = 0; i < p.length; i++) {
            md.update(p);
        }
        byte[] pBytes = repeat(md.digest(), p.length);

        for (int i = 0; i < 16 + (a[0] & 0xff); i++) {
            md.update(s);
        }
        byte[] sBytes = repeat(md.digest(), s.length);

        byte[] c = a;
        for (int i = 0; i < rounds; i++) {
            boolean odd = (i & 1) != 0;
            md.update(odd ? pBytes : c);
            if (i % 3 != 0) {
                md.update(sBytes);
            }
            if (i % 7 != 0) {
                md.update(pBytes);
            }
            md.update(odd ? c : pBytes);
            byte[] next = md.digest();
            Arrays.fill(c, (byte) 0);
            c = next;
        }
        Arrays.fill(b, (byte) 0);
        Arrays.fill(pBytes, (byte) 0);
        return c;
    }

    /** {@code source} repeated, then cut, to {@code length} bytes (the spec's P and S sequences). */
    private static byte[] repeat(byte[] source, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i += source.length) {
            System.arraycopy(source, 0, out, i, Math.min(source.length, length - i));
        }
        Arrays.fill(source, (byte) 0);
        return out;
    }

    private static String encode(byte[] digest, int[] order) {
        StringBuilder sb = new StringBuilder(86);
        int full = order.length / 3 * 3;
        for (int i = 0; i < full; i += 3) {
            put(sb, (digest[order[i]] & 0xff) << 16 | (digest[order[i + 1]] & 0xff) << 8 | digest[order[i + 2]] & 0xff, 4);
        }
        if (digest.length == 64) { // SHA-512: the last byte alone, in two characters
            put(sb, digest[order[full]] & 0xff, 2);
        } else { // SHA-256: bytes 31 and 30, in three characters
            put(sb, (digest[31] & 0xff) << 8 | digest[30] & 0xff, 3);
        }
        return sb.toString();
    }

    private static void put(StringBuilder sb, int w, int chars) {
        for (int i = 0; i < chars; i++, w >>>= 6) {
            sb.append(ALPHABET.charAt(w & 0x3f));
        }
    }

    private static byte[] utf8(char[] password) {
        try {
            ByteBuffer bb = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(password));
            byte[] out = Arrays.copyOfRange(bb.array(), bb.position(), bb.limit());
            Arrays.fill(bb.array(), (byte) 0);
            return out;
        } catch (CharacterCodingException e) {
            throw new PasswordException(Reason.MALFORMED_PASSWORD, "password is not valid UTF-16 (lone surrogate)");
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
