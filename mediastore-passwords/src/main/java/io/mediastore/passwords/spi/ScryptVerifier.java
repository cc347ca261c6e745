package io.mediastore.passwords.spi;

import io.mediastore.passwords.PasswordException;
import io.mediastore.passwords.PasswordException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * scrypt in its two common string formats:
 * <ul>
 *   <li>passlib: {@code $scrypt$ln=<log2 N>,r=<r>,p=<p>$<Base64 salt>$<Base64 hash>} (unpadded)</li>
 *   <li>Werkzeug: {@code scrypt:<N>:<r>:<p>$<salt text>$<hex hash>}</li>
 * </ul>
 * Costs whose memory (128 * r * N bytes) exceeds {@link #DEFAULT_MAX_MEMORY_KIB}, or N above 2^20,
 * are refused; the memory is charged to the hasher's budget while verifying.
 */
public final class ScryptVerifier implements LegacyVerifier {
    public static final int DEFAULT_MAX_MEMORY_KIB = 256 * 1024;
    private static final Pattern PASSLIB = Pattern.compile("\\$scrypt\\$ln=([1-9][0-9]?),r=([1-9][0-9]{0,3}),p=([1-9][0-9]{0,3})\\$([A-Za-z0-9+/]{0,344})\\$([A-Za-z0-9+/]{6,683})");
    private static final Pattern WERKZEUG = Pattern.compile("scrypt:([1-9][0-9]{0,9}):([1-9][0-9]{0,3}):([1-9][0-9]{0,3})\\$([!-#%-~]{1,128})\\$([0-9a-f]{8,1024})");
    private final int maxMemoryKiB;

    public ScryptVerifier() {
        this(DEFAULT_MAX_MEMORY_KIB);
    }

    public ScryptVerifier(int maxMemoryKiB) {
        if (maxMemoryKiB < 1) {
            throw new IllegalArgumentException("maxMemoryKiB must be positive");
        }
        this.maxMemoryKiB = maxMemoryKiB;
    }

    @Override
    public String algorithm() {
        return "scrypt";
    }

    @Override
    public boolean recognizes(String stored) {
        return stored.startsWith("$scrypt$") || stored.startsWith("scrypt:");
    }

    @Override
    public int memoryKiB(String stored) {
        Params p = params(stored);
        return (int) p.kib;
    }

    @Override
    public boolean verify(char[] password, String stored) {
        Params p = params(stored);
        byte[] pw = LegacyEncoding.utf8(password);
        try {
            byte[] actual = SCrypt.generate(pw, p.salt, p.n, p.r, p.p, p.hash.length);
            boolean ok = MessageDigest.isEqual(actual, p.hash);
            Arrays.fill(actual, (byte) 0);
            return ok;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private record Params(int n, int r, int p, byte[] salt, byte[] hash, long kib) {}

    private Params params(String stored) {
        long n;
        long r;
        long p;
        byte[] salt;
        byte[] hash;
        Matcher m;
        if ((m = PASSLIB.matcher(stored)).matches()) {
            int ln = Integer.parseInt(m.group(1));
            if (ln > 30) {
                throw outOfRange();
            }
            n = 1L << ln;
            r = Long.parseLong(m.group(2));
            p = Long.parseLong(m.group(3));
            Matcher pm = m;
            salt = Pbkdf2Sha256Verifier.decode(() -> Base64.getDecoder().decode(pm.group(4)));
            hash = Pbkdf2Sha256Verifier.decode(() -> Base64.getDecoder().decode(pm.group(5)));
        } else if ((m = WERKZEUG.matcher(stored)).matches()) {
            n = Long.parseLong(m.group(1));
            r = Long.parseLong(m.group(2));
            p = Long.parseLong(m.group(3));
            salt = m.group(4).getBytes(StandardCharsets.US_ASCII);
            Matcher wm = m;
            hash = Pbkdf2Sha256Verifier.decode(() -> HexFormat.of().parseHex(wm.group(5)));
        } else {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "malformed scrypt digest");
        }
        if (n < 2 || (n & (n - 1)) != 0) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "scrypt N must be a power of two above 1");
        }
        if (hash.length < 4) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "scrypt hash shorter than 4 bytes");
        }
        long kib = 128 * r * n / 1024;
        if (n > (1 << 20) || kib > maxMemoryKiB || p > 16) {
            throw outOfRange();
        }
        return new Params((int) n, (int) r, (int) p, salt, hash, Math.max(1, kib));
    }

    private PasswordException outOfRange() {
        return new PasswordException(Reason.PARAMETERS_OUT_OF_RANGE,
                "scrypt cost exceeds the ceiling of " + maxMemoryKiB + " KiB N <= 2^20 and p <= 16");
    }
}
