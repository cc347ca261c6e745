package io.mediastore.benchmarks.passwords;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** The peers, each used the way its users use it, at OWASP's m=19456 KiB, t=2, p=1, 16-byte salt, 32-byte tag. */
final class Argon2Peers {
    static final int M = 19456;
    static final int T = 2;
    static final int P = 1;
    static final String CLI = "/usr/bin/argon2";
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final String SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private Argon2Peers() {}

    /**
     * Spring Security's Argon2PasswordEncoder.encode: a fresh Argon2BytesGenerator per call over
     * the UTF-8 password, salt from a SecureRandom key generator, then PHC encoding.
     */
    static String springEncode(SecureRandom random, CharSequence password) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        byte[] hash = new byte[32];
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withSalt(salt).withParallelism(P).withMemoryAsKB(M).withIterations(T).build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        generator.generateBytes(password.toString().toCharArray(), hash);
        return "$argon2id$v=19$m=" + M + ",t=" + T + ",p=" + P + "$" + B64.encodeToString(salt) + "$"
                + B64.encodeToString(hash);
    }

    /** Spring Security's Argon2PasswordEncoder.matches: decode, recompute with a fresh generator, compare. */
    static boolean springMatches(CharSequence password, String encoded) {
        String[] parts = encoded.split("\\$");
        byte[] salt = B64D.decode(parts[4]);
        byte[] expected = B64D.decode(parts[5]);
        String[] p = parts[3].split(",");
        Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id).withVersion(0x13)
                .withSalt(salt).withMemoryAsKB(Integer.parseInt(p[0].substring(2)))
                .withIterations(Integer.parseInt(p[1].substring(2)))
                .withParallelism(Integer.parseInt(p[2].substring(2))).build();
        byte[] actual = new byte[expected.length];
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(params);
        generator.generateBytes(password.toString().toCharArray(), actual);
        return MessageDigest.isEqual(actual, expected);
    }

    static String randomSaltText(SecureRandom random) {
        StringBuilder sb = new StringBuilder(16);
        for (int i = 0; i < 16; i++) {
            sb.append(SALT_CHARS.charAt(random.nextInt(SALT_CHARS.length())));
        }
        return sb.toString();
    }

    /** One process per hash, as a shell script or another language calling the reference CLI would. */
    static String cliEncode(String password, String saltText) {
        try {
            Process proc = new ProcessBuilder(List.of(CLI, saltText, "-id", "-t", "" + T, "-k", "" + M, "-p", "" + P,
                    "-l", "32", "-e")).redirectErrorStream(true).start();
            try (OutputStream in = proc.getOutputStream()) {
                in.write(password.getBytes(StandardCharsets.UTF_8));
            }
            String out;
            try (InputStream o = proc.getInputStream()) {
                out = new String(o.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            if (proc.waitFor() != 0) {
                throw new IllegalStateException("argon2 CLI failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
