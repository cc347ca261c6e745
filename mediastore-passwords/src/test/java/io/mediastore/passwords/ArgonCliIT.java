package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Interop with the reference argon2 CLI (Debian package argon2), for random parameters and salts. */
class ArgonCliIT {
    private static final Path CLI = Path.of("/usr/bin/argon2");
    private static final String SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String PW_CHARS = SALT_CHARS + "!#%&()*+,-./:;<=>?@[]^_{|}~ ";

    @BeforeAll
    static void needsTheCli() {
        boolean present = Files.isExecutable(CLI);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("the argon2 CLI is required under CI=true: apt-get install argon2");
        }
        Assumptions.assumeTrue(present, "argon2 CLI not installed; skipping interop");
    }

    @Test
    void digestsFromTheCliVerifyOnBothBackendsForRandomParameters() throws Exception {
        Random r = new Random();
        long seed = r.nextLong();
        r.setSeed(seed);
        PasswordHasher nat = PasswordHasher.builder().backend(Backend.NATIVE).build();
        PasswordHasher java = PasswordHasher.builder().backend(Backend.PURE_JAVA).build();
        for (int i = 0; i < 24; i++) {
            int p = 1 + r.nextInt(4);
            int m = 8 * p + r.nextInt(2048);
            int t = 1 + r.nextInt(4);
            int tagLength = 4 + r.nextInt(60);
            String salt = random(r, SALT_CHARS, 8 + r.nextInt(40));
            String password = random(r, PW_CHARS, 1 + r.nextInt(30));
            String type = List.of("-id", "-i", "-d").get(r.nextInt(3));
            String version = i % 4 == 3 ? "10" : "13";
            String encoded = run(password, salt, type, "-t", "" + t, "-k", "" + m, "-p", "" + p,
                    "-l", "" + tagLength, "-v", version, "-e").trim();
            String context = "seed " + seed + ": " + encoded;
            for (PasswordHasher h : List.of(nat, java)) {
                Verification v = h.verify(password.toCharArray(), encoded);
                assertTrue(v.matched(), context);
                // anything but Argon2id v1.3 at OWASP's parameters gets migrated
                assertTrue(v.needsRehash(), context);
                assertFalse(h.verify((password + "x").toCharArray(), encoded).matched(), context);
            }
            if (type.equals("-id") && version.equals("13")) {
                assertFalse(nat.verify(password.toCharArray(), encoded).rehashReasons()
                        .contains(RehashReason.OUTDATED_ARGON2_VARIANT), context);
            } else {
                assertTrue(nat.verify(password.toCharArray(), encoded).rehashReasons()
                        .contains(RehashReason.OUTDATED_ARGON2_VARIANT), context);
            }
        }
    }

    @Test
    void ourRawOutputEqualsTheClisAndTheCliVerifiesOurDefaults() throws Exception {
        PasswordHasher hasher = PasswordHasher.builder().build();
        String salt = "mediastore-salt!";
        String password = "correct horse battery staple";
        String raw = run(password, salt, "-id", "-t", "2", "-k", "19456", "-p", "1", "-l", "32", "-r").trim();
        byte[] ours = hasher.deriveRaw(Argon2Type.ARGON2ID, Argon2Parameters.defaults(),
                password.getBytes(StandardCharsets.UTF_8), salt.getBytes(StandardCharsets.US_ASCII), null, null);
        assertEquals(raw, HexFormat.of().formatHex(ours));
        // the CLI's encoded form of the defaults verifies with no rehash: same format, same parameters
        String encoded = run(password, salt, "-id", "-t", "2", "-k", "19456", "-p", "1", "-l", "32", "-e").trim();
        Verification v = hasher.verify(password.toCharArray(), encoded);
        assertTrue(v.matched());
        assertEquals(Set.of(), v.rehashReasons());
    }

    private static String random(Random r, String alphabet, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static String run(String password, String salt, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(CLI.toString());
        cmd.add(salt);
        cmd.addAll(List.of(args));
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (OutputStream in = proc.getOutputStream()) {
            in.write(password.getBytes(StandardCharsets.UTF_8)); // no newline: the CLI reads it all
        }
        String out;
        try (InputStream o = proc.getInputStream()) {
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(0, proc.waitFor(), String.join(" ", cmd) + " -> " + out);
        return out;
    }
}
