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
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * PBKDF2-HMAC-SHA256 in its three common string formats:
 * <ul>
 *   <li>Django: {@code pbkdf2_sha256$<iterations>$<salt text>$<Base64 hash>}</li>
 *   <li>passlib: {@code $pbkdf2-sha256$<iterations>$<ab64 salt>$<ab64 hash>} (Base64 with '.' for '+', unpadded)</li>
 *   <li>Werkzeug: {@code pbkdf2:sha256:<iterations>$<salt text>$<hex hash>}</li>
 * </ul>
 * Iteration counts above {@link #DEFAULT_MAX_ITERATIONS} are refused unless configured otherwise.
 */
public final class Pbkdf2Sha256Verifier implements LegacyVerifier {
    public static final int DEFAULT_MAX_ITERATIONS = 10_000_000;
    private static final Pattern DJANGO = Pattern.compile("pbkdf2_sha256\\$([1-9][0-9]{0,9})\\$([!-#%-~]{1,128})\\$([A-Za-z0-9+/=]{4,512})");
    private static final Pattern PASSLIB = Pattern.compile("\\$pbkdf2-sha256\\$([1-9][0-9]{0,9})\\$([A-Za-z0-9./]{0,344})\\$([A-Za-z0-9./]{6,683})");
    private static final Pattern WERKZEUG = Pattern.compile("pbkdf2:sha256:([1-9][0-9]{0,9})\\$([!-#%-~]{1,128})\\$([0-9a-f]{8,1024})");
    private final int maxIterations;

    public Pbkdf2Sha256Verifier() {
        this(DEFAULT_MAX_ITERATIONS);
    }

    public Pbkdf2Sha256Verifier(int maxIterations) {
        if (maxIterations < 1) {
            throw new IllegalArgumentException("maxIterations must be positive");
        }
        this.maxIterations = maxIterations;
    }

    @Override
    public String algorithm() {
        return "pbkdf2-sha256";
    }

    @Override
    public boolean recognizes(String stored) {
        return stored.startsWith("pbkdf2_sha256$") || stored.startsWith("$pbkdf2-sha256$")
                || stored.startsWith("pbkdf2:sha256:");
    }

    @Override
    public boolean verify(char[] password, String stored) {
        long iterations;
        byte[] salt;
        byte[] expected;
        Matcher m;
        if ((m = DJANGO.matcher(stored)).matches()) {
            iterations = Long.parseLong(m.group(1));
            salt = m.group(2).getBytes(StandardCharsets.US_ASCII);
            Matcher dm = m;
            expected = decode(() -> Base64.getDecoder().decode(dm.group(3)));
        } else if ((m = PASSLIB.matcher(stored)).matches()) {
            iterations = Long.parseLong(m.group(1));
            Matcher pm = m;
            salt = decode(() -> Base64.getDecoder().decode(pad(pm.group(2).replace('.', '+'))));
            expected = decode(() -> Base64.getDecoder().decode(pad(pm.group(3).replace('.', '+'))));
        } else if ((m = WERKZEUG.matcher(stored)).matches()) {
            iterations = Long.parseLong(m.group(1));
            salt = m.group(2).getBytes(StandardCharsets.US_ASCII);
            Matcher wm = m;
            expected = decode(() -> HexFormat.of().parseHex(wm.group(3)));
        } else {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "malformed PBKDF2-SHA256 digest");
        }
        if (expected.length < 4) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "PBKDF2 hash shorter than 4 bytes");
        }
        if (iterations > maxIterations) {
            throw new PasswordException(Reason.PARAMETERS_OUT_OF_RANGE,
                    "PBKDF2 iterations " + iterations + " exceed the ceiling " + maxIterations);
        }
        byte[] pw = LegacyEncoding.utf8(password);
        try {
            PKCS5S2ParametersGenerator gen = new PKCS5S2ParametersGenerator(new SHA256Digest());
            gen.init(pw, salt, (int) iterations);
            byte[] actual = ((KeyParameter) gen.generateDerivedParameters(expected.length * 8)).getKey();
            boolean ok = MessageDigest.isEqual(actual, expected);
            Arrays.fill(actual, (byte) 0);
            return ok;
        } finally {
            Arrays.fill(pw, (byte) 0);
        }
    }

    private static String pad(String s) {
        int missing = (4 - s.length() % 4) % 4;
        if (missing == 3) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "malformed encoding in legacy digest");
        }
        return s + "==".substring(0, missing);
    }

    static byte[] decode(java.util.function.Supplier<byte[]> d) {
        try {
            return d.get();
        } catch (IllegalArgumentException e) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "malformed encoding in legacy digest");
        }
    }
}
