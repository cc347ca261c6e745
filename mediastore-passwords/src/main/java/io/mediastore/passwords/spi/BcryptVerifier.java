package io.mediastore.passwords.spi;

import io.mediastore.passwords.PasswordException;
import io.mediastore.passwords.PasswordException.Reason;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt in the modular crypt format {@code $2a$}, {@code $2b$} or {@code $2y$}
 * ({@code $2b$10$<22 salt chars><31 hash chars>}), checked with BouncyCastle's OpenBSDBCrypt.
 * Costs above {@link #DEFAULT_MAX_COST} are refused unless configured otherwise.
 */
public final class BcryptVerifier implements LegacyVerifier {
    public static final int DEFAULT_MAX_COST = 16;
    private static final Pattern FORMAT = Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    private final int maxCost;

    public BcryptVerifier() {
        this(DEFAULT_MAX_COST);
    }

    /** @param maxCost the highest accepted cost, 4 to 31 */
    public BcryptVerifier(int maxCost) {
        if (maxCost < 4 || maxCost > 31) {
            throw new IllegalArgumentException("bcrypt maxCost must be in [4, 31]");
        }
        this.maxCost = maxCost;
    }

    @Override
    public String algorithm() {
        return "bcrypt";
    }

    @Override
    public boolean recognizes(String stored) {
        return stored.startsWith("$2a$") || stored.startsWith("$2b$") || stored.startsWith("$2y$");
    }

    @Override
    public boolean verify(char[] password, String stored) {
        Matcher m = FORMAT.matcher(stored);
        if (!m.matches()) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "malformed bcrypt digest");
        }
        int cost = Integer.parseInt(m.group(1));
        if (cost < 4) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "bcrypt cost below 4");
        }
        if (cost > maxCost) {
            throw new PasswordException(Reason.PARAMETERS_OUT_OF_RANGE,
                    "bcrypt cost " + cost + " exceeds the ceiling " + maxCost);
        }
        // the 22nd salt character carries 4 unused bits; only the canonical ones decode
        char last = stored.charAt(28);
        if (".Oeu".indexOf(last) < 0) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "non-canonical bcrypt salt");
        }
        try {
            return OpenBSDBCrypt.checkPassword(stored, password);
        } catch (RuntimeException e) {
            throw new PasswordException(Reason.MALFORMED_DIGEST, "malformed bcrypt digest");
        }
    }
}
