package io.mediastore.passwords.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mediastore.passwords.PasswordException;
import io.mediastore.passwords.PasswordHasher;
import io.mediastore.passwords.RehashReason;
import io.mediastore.passwords.Verification;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link LegacyVerifier} passes, ours and third-party plugins alike: extend it,
 * supply digests made by another implementation of the algorithm, and malformed ones.
 */
public abstract class LegacyVerifierContract {

    /** The verifier under test. */
    protected abstract LegacyVerifier verifier();

    /** Digest to password, each digest produced by an independent implementation of the algorithm. */
    protected abstract Map<String, String> knownDigests();

    /** Strings in this verifier's format family that it must refuse with MALFORMED_DIGEST. */
    protected abstract List<String> malformedDigests();

    @Test
    void recognizesItsOwnFormatsOnly() {
        LegacyVerifier v = verifier();
        for (String d : knownDigests().keySet()) {
            assertTrue(v.recognizes(d), d);
        }
        assertFalse(v.recognizes("$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"));
        assertFalse(v.recognizes("plain text"));
        assertFalse(v.recognizes(""));
        assertTrue(v.algorithm() != null && !v.algorithm().isBlank());
    }

    @Test
    void verifiesTheRightPasswordAndLeavesTheArrayAlone() {
        LegacyVerifier v = verifier();
        knownDigests().forEach((digest, password) -> {
            char[] pw = password.toCharArray();
            assertTrue(v.verify(pw, digest), digest);
            assertArrayEquals(password.toCharArray(), pw, "the verifier must not modify the password");
        });
    }

    @Test
    void refusesWrongPasswords() {
        LegacyVerifier v = verifier();
        knownDigests().forEach((digest, password) -> {
            assertFalse(v.verify(("!" + password).toCharArray(), digest), digest);
            assertFalse(v.verify("wrong".toCharArray(), digest), digest);
        });
    }

    @Test
    void malformedDigestsAreRefusedWithTheDocumentedReason() {
        LegacyVerifier v = verifier();
        for (String d : malformedDigests()) {
            try {
                v.memoryKiB(d);
                v.verify("password".toCharArray(), d);
                fail("accepted malformed digest " + d);
            } catch (PasswordException e) {
                assertEquals(PasswordException.Reason.MALFORMED_DIGEST, e.reason(), d);
            }
        }
    }

    @Test
    void mutatedDigestsNeverMatchAndNeverThrowAnythingElse() {
        LegacyVerifier v = verifier();
        Random r = new Random(42);
        String alphabet = "$./:=,0123456789abcdefABCDEF+xyz";
        for (Map.Entry<String, String> e : knownDigests().entrySet()) {
            for (int i = 0; i < 40; i++) {
                StringBuilder sb = new StringBuilder(e.getKey());
                int pos = r.nextInt(sb.length());
                switch (r.nextInt(3)) {
                    case 0 -> sb.setCharAt(pos, alphabet.charAt(r.nextInt(alphabet.length())));
                    case 1 -> sb.deleteCharAt(pos);
                    default -> sb.insert(pos, alphabet.charAt(r.nextInt(alphabet.length())));
                }
                String mutated = sb.toString();
                if (mutated.equals(e.getKey()) || !v.recognizes(mutated)) {
                    continue;
                }
                try {
                    v.memoryKiB(mutated);
                    // a mutation may hit only unused bits of an encoding; it must never match another password
                    assertFalse(v.verify("definitely not it".toCharArray(), mutated));
                } catch (PasswordException expected) {
                    assertTrue(expected.reason() == PasswordException.Reason.MALFORMED_DIGEST
                            || expected.reason() == PasswordException.Reason.PARAMETERS_OUT_OF_RANGE, mutated);
                }
            }
        }
    }

    @Test
    void isThreadSafe() throws Exception {
        LegacyVerifier v = verifier();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                for (Map.Entry<String, String> e : knownDigests().entrySet()) {
                    results.add(pool.submit(() -> v.verify(e.getValue().toCharArray(), e.getKey())));
                }
            }
            for (Future<Boolean> f : results) {
                assertTrue(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLegacyMatchThroughTheHasherReturnsAnArgon2idReplacement() {
        PasswordHasher hasher = PasswordHasher.builder().legacyVerifiers(List.of(verifier())).build();
        Map.Entry<String, String> e = knownDigests().entrySet().iterator().next();
        Verification result = hasher.verify(e.getValue().toCharArray(), e.getKey());
        assertTrue(result.matched());
        assertTrue(result.needsRehash());
        assertEquals(java.util.Set.of(RehashReason.LEGACY_ALGORITHM), result.rehashReasons());
        String replacement = result.replacement().orElseThrow();
        assertTrue(replacement.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), replacement);
        Verification again = hasher.verify(e.getValue().toCharArray(), replacement);
        assertTrue(again.matched());
        assertFalse(again.needsRehash());
    }
}
