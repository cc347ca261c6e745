package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.passwords.PasswordException.Reason;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class PasswordHasherTest {
    private static final PasswordHasher DEFAULT = PasswordHasher.builder().build();
    private static final PasswordHasher SMALL = PasswordHasher.builder().parameters(TestHashers.small()).build();

    @Test
    void hashProducesAnArgon2idPhcStringAtTheDefaults() {
        String stored = DEFAULT.hash("correct horse".toCharArray());
        assertTrue(stored.matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), stored);
        Verification v = DEFAULT.verify("correct horse".toCharArray(), stored);
        assertTrue(v.matched());
        assertFalse(v.needsRehash());
        assertTrue(v.replacement().isEmpty());
        assertFalse(DEFAULT.verify("correct horsf".toCharArray(), stored).matched());
        assertNotEquals(stored, DEFAULT.hash("correct horse".toCharArray()), "each digest gets a fresh salt");
    }

    @Test
    void passwordArraysAreWipedOnSuccessAndOnRefusal() {
        char[] pw = "secret".toCharArray();
        String stored = SMALL.hash(pw);
        assertArrayEquals(new char[6], pw);
        char[] again = "secret".toCharArray();
        SMALL.verify(again, stored);
        assertArrayEquals(new char[6], again);
        char[] dummy = "secret".toCharArray();
        SMALL.verifyUnknownUser(dummy);
        assertArrayEquals(new char[6], dummy);
        char[] refused = "secret".toCharArray();
        assertThrows(PasswordException.class, () -> SMALL.verify(refused, "$argon2id$garbage"));
        assertArrayEquals(new char[6], refused);
        char[] tooLong = new char[4097];
        Arrays.fill(tooLong, 'a');
        assertThrows(PasswordException.class, () -> SMALL.hash(tooLong));
        assertArrayEquals(new char[4097], tooLong);
    }

    @Test
    void badPasswordsAreRefusedWithSpecificReasons() {
        assertReason(Reason.NULL_PASSWORD, () -> SMALL.hash(null));
        assertReason(Reason.EMPTY_PASSWORD, () -> SMALL.hash(new char[0]));
        assertReason(Reason.PASSWORD_TOO_LONG, () -> SMALL.hash(new char[4097]));
        assertReason(Reason.MALFORMED_PASSWORD, () -> SMALL.hash(new char[] {'a', '\uD800'}));
        assertReason(Reason.MALFORMED_PASSWORD, () -> SMALL.hash(new char[] {'\uDC00', 'a'}));
        assertReason(Reason.NULL_PASSWORD, () -> SMALL.verify(null, "x"));
        assertReason(Reason.NULL_PASSWORD, () -> SMALL.verifyUnknownUser(null));
        char[] max = new char[4096];
        Arrays.fill(max, 'z');
        assertTrue(SMALL.hash(max).startsWith("$argon2id$"));
        PasswordHasher shortMax = PasswordHasher.builder().parameters(TestHashers.small()).maxPasswordLength(8).build();
        assertReason(Reason.PASSWORD_TOO_LONG, () -> shortMax.hash("123456789".toCharArray()));
    }

    @Test
    void nonAsciiPasswordsAreHashedAsUtf8() {
        String pw = "p\u00e4ss \uD83D\uDD11 \u4e2d\u6587";
        String stored = SMALL.hash(pw.toCharArray());
        assertTrue(SMALL.verify(pw.toCharArray(), stored).matched());
        // the same bytes through the raw path give the same tag: the encoding is UTF-8
        String[] f = stored.split("\\$");
        byte[] salt = java.util.Base64.getDecoder().decode(f[4]);
        byte[] raw = SMALL.deriveRaw(Argon2Type.ARGON2ID, TestHashers.small(),
                pw.getBytes(java.nio.charset.StandardCharsets.UTF_8), salt, null, null);
        assertEquals(f[5], java.util.Base64.getEncoder().withoutPadding().encodeToString(raw));
    }

    @Test
    void badStoredDigestsAreRefusedWithSpecificReasons() {
        assertReason(Reason.NULL_DIGEST, () -> SMALL.verify("pw".toCharArray(), null));
        assertReason(Reason.MALFORMED_DIGEST, () -> SMALL.verify("pw".toCharArray(), ""));
        assertReason(Reason.MALFORMED_DIGEST, () -> SMALL.verify("pw".toCharArray(), "plaintext-password"));
        assertReason(Reason.MALFORMED_DIGEST, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ"));
        assertReason(Reason.MALFORMED_DIGEST, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$m=065536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.MALFORMED_DIGEST, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$t=2,m=65536,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.MALFORMED_DIGEST, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.MALFORMED_DIGEST, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.UNSUPPORTED_ALGORITHM, () -> SMALL.verify("pw".toCharArray(),
                "$argon2x$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.UNSUPPORTED_ALGORITHM, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=18$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.UNSUPPORTED_ALGORITHM, () -> SMALL.verify("pw".toCharArray(),
                "$md5$rounds=1000$salt$hash"));
        assertReason(Reason.UNSUPPORTED_ALGORITHM, () -> SMALL.verify("pw".toCharArray(),
                "$1$saltsalt$qjXMvbEw8oaL.CzflDugX/"));
        assertReason(Reason.MALFORMED_DIGEST, () -> SMALL.verify("pw".toCharArray(), "$argon2id$" + "A".repeat(2000)));
    }

    @Test
    void absurdParametersAreRefusedBeforeAnyAllocation() {
        long before = SMALL.budgetStats().peakInUseKiB();
        // m of 4 GiB, t of a million: refused by the ceiling, nothing acquired from the budget
        assertReason(Reason.PARAMETERS_OUT_OF_RANGE, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$m=4194304,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.PARAMETERS_OUT_OF_RANGE, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$m=65536,t=1000000,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.PARAMETERS_OUT_OF_RANGE, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$m=65536,t=2,p=255$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.PARAMETERS_OUT_OF_RANGE, () -> SMALL.verify("pw".toCharArray(),
                "$argon2id$v=19$m=9999999999,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertEquals(before, SMALL.budgetStats().peakInUseKiB());
        // the ceiling is configurable
        PasswordHasher tight = PasswordHasher.builder().parameters(TestHashers.small()).ceiling(1024, 3, 2).build();
        assertReason(Reason.PARAMETERS_OUT_OF_RANGE, () -> tight.verify("pw".toCharArray(),
                "$argon2id$v=19$m=2048,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertReason(Reason.PARAMETERS_OUT_OF_RANGE, () -> tight.verify("pw".toCharArray(),
                "$argon2id$v=19$m=1024,t=4,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"));
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.builder().ceiling(1024, 3, 2).build(),
                "the configured parameters themselves must fit the ceiling");
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.builder().memoryBudgetKiB(1024).build(),
                "one hash must fit the memory budget");
    }

    @Test
    void weakerParametersMatchAndReportNeedsRehashWithTheReplacementReady() {
        PasswordHasher old = PasswordHasher.builder().parameters(TestHashers.small()).build();
        PasswordHasher current = PasswordHasher.builder()
                .parameters(TestHashers.small().toBuilder().memoryKiB(128).iterations(2).build()).build();
        String stored = old.hash("pw1".toCharArray());
        Verification v = current.verify("pw1".toCharArray(), stored);
        assertTrue(v.matched());
        assertEquals(Set.of(RehashReason.WEAKER_PARAMETERS), v.rehashReasons());
        String replacement = v.replacement().orElseThrow();
        assertTrue(replacement.startsWith("$argon2id$v=19$m=128,t=2,p=1$"), replacement);
        assertFalse(current.verify("pw1".toCharArray(), replacement).needsRehash());
        // stronger stored parameters are not downgraded
        assertFalse(old.verify("pw1".toCharArray(), replacement).needsRehash());
        assertFalse(current.verify("pw2".toCharArray(), stored).matched());
        // shorter salt or tag is weaker too
        String shortSalt = PasswordHasher.builder().parameters(TestHashers.small().toBuilder().saltLength(8).build())
                .build().hash("pw1".toCharArray());
        assertEquals(Set.of(RehashReason.WEAKER_PARAMETERS), old.verify("pw1".toCharArray(), shortSalt).rehashReasons());
    }

    @Test
    void argon2iArgon2dAndVersion10DigestsMatchAndAreMigrated() {
        byte[] salt = "saltsaltsaltsalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        for (Argon2Type type : List.of(Argon2Type.ARGON2I, Argon2Type.ARGON2D)) {
            byte[] tag = SMALL.deriveRaw(type, TestHashers.small(), "pw".getBytes(), salt, null, null);
            String stored = "$" + type.phcName() + "$v=19$m=64,t=1,p=1$" + b64(salt) + "$" + b64(tag);
            Verification v = SMALL.verify("pw".toCharArray(), stored);
            assertTrue(v.matched(), stored);
            assertEquals(Set.of(RehashReason.OUTDATED_ARGON2_VARIANT), v.rehashReasons());
            assertTrue(v.replacement().orElseThrow().startsWith("$argon2id$v=19$"));
        }
        // version 1.0 digests carry no v= field
        String v10 = "$argon2id$m=64,t=1,p=1$" + b64(salt) + "$" + v10Tag();
        Verification v = SMALL.verify("pw".toCharArray(), v10);
        assertTrue(v.matched());
        assertEquals(Set.of(RehashReason.OUTDATED_ARGON2_VARIANT), v.rehashReasons());
        // the reference CLI writes v=16 for version 1.0 (`argon2 somesalt -i -t 1 -k 64 -v 10 -e`): both spellings verify
        String cli = "$argon2i$v=16$m=64,t=1,p=1$c29tZXNhbHQ$0BvzJZOLKMPjKgrXDwreLQSFy/0c414cb7jG9NI4e6k";
        for (String stored : List.of(cli, cli.replace("$v=16", ""))) {
            assertTrue(SMALL.verify("password".toCharArray(), stored).matched(), stored);
            assertFalse(SMALL.verify("passwore".toCharArray(), stored).matched(), stored);
        }
    }

    private static String v10Tag() {
        // BouncyCastle as the independent implementation of version 1.0
        org.bouncycastle.crypto.generators.Argon2BytesGenerator g = new org.bouncycastle.crypto.generators.Argon2BytesGenerator();
        g.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(2).withVersion(0x10).withMemoryAsKB(64)
                .withIterations(1).withParallelism(1).withSalt("saltsaltsaltsalt".getBytes()).build());
        byte[] out = new byte[32];
        g.generateBytes("pw".getBytes(), out);
        return b64(out);
    }

    @Test
    void pepperIsAppliedRecordedAndRotates() {
        PepperKey k1 = PepperKey.of("k1", new byte[32]);
        byte[] secret2 = new byte[32];
        Arrays.fill(secret2, (byte) 7);
        PepperKey k2 = PepperKey.of("k2", secret2);
        PasswordHasher first = PasswordHasher.builder().parameters(TestHashers.small()).pepper(k1).build();
        String stored = first.hash("pw".toCharArray());
        assertTrue(stored.startsWith("$argon2id$v=19$m=64,t=1,p=1,keyid=azE$"), stored);
        assertTrue(first.verify("pw".toCharArray(), stored).matched());
        assertFalse(first.verify("pw".toCharArray(), stored).needsRehash());

        // without the key the digest cannot be checked at all, and says so
        assertReason(Reason.UNKNOWN_PEPPER_KEY, () -> SMALL.verify("pw".toCharArray(), stored));
        // the pepper matters: the same salt and password without it give another tag
        String unpeppered = stored.replace(",keyid=azE", "");
        assertFalse(SMALL.verify("pw".toCharArray(), unpeppered).matched());

        PasswordHasher rotated = PasswordHasher.builder().parameters(TestHashers.small()).pepper(k2)
                .acceptPepperKey(k1).build();
        Verification v = rotated.verify("pw".toCharArray(), stored);
        assertTrue(v.matched());
        assertEquals(Set.of(RehashReason.PEPPER_KEY_ROTATED), v.rehashReasons());
        String replacement = v.replacement().orElseThrow();
        assertTrue(replacement.contains(",keyid=azI$"), replacement);
        assertFalse(rotated.verify("pw".toCharArray(), replacement).needsRehash());
        assertFalse(rotated.verify("px".toCharArray(), stored).matched());

        // introducing a pepper migrates unpeppered digests
        String plain = SMALL.hash("pw".toCharArray());
        assertEquals(Set.of(RehashReason.PEPPER_KEY_ROTATED), rotated.verify("pw".toCharArray(), plain).rehashReasons());
        assertTrue(k1.toString().contains("hidden") && !k1.toString().contains("0, 0"));
        assertThrows(IllegalArgumentException.class, () -> PepperKey.of("too-long-id", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> PepperKey.of("k", new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> PasswordHasher.builder().pepper(k1)
                .acceptPepperKey(PepperKey.of("k1", new byte[32])));
    }

    @Test
    void aDestroyedPepperKeyRefusesEveryUseInsteadOfPepperingWithZeros() {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        PepperKey k1 = PepperKey.of("k1", secret);
        PepperKey k2 = PepperKey.of("k2", secret);
        PasswordHasher hasher = PasswordHasher.builder().parameters(TestHashers.small()).pepper(k1).build();
        PasswordHasher rotated = PasswordHasher.builder().parameters(TestHashers.small()).pepper(k2)
                .acceptPepperKey(k1).build();
        String before = hasher.hash("pw".toCharArray());
        String plain = SMALL.hash("pw".toCharArray());
        assertFalse(k1.isDestroyed());
        k1.destroy();
        assertTrue(k1.isDestroyed());

        char[] pw = "hunter2".toCharArray();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> hasher.hash(pw));
        assertTrue(e.getMessage().contains("k1") && e.getMessage().contains("destroyed"), e.getMessage());
        assertFalse(e.getMessage().contains("0123456789abcdef"), e.getMessage());
        assertArrayEquals(new char[7], pw, "the password is wiped on this refusal too");
        // verify refuses whatever the outcome would have been, so the refusal says nothing about the password
        assertThrows(IllegalStateException.class, () -> hasher.verify("pw".toCharArray(), before));
        assertThrows(IllegalStateException.class, () -> hasher.verify("wrong".toCharArray(), before));
        assertThrows(IllegalStateException.class, () -> hasher.verify("pw".toCharArray(), plain));
        assertThrows(IllegalStateException.class, () -> hasher.verifyUnknownUser("pw".toCharArray()));
        // an accepted earlier key that was destroyed cannot check its digests either
        assertThrows(IllegalStateException.class, () -> rotated.verify("pw".toCharArray(), before));
        assertTrue(rotated.verify("pw".toCharArray(), rotated.hash("pw".toCharArray())).matched());
        assertTrue(k1.toString().contains("k1") && k1.toString().contains("hidden"));
        k1.destroy(); // idempotent
        assertTrue(k1.isDestroyed());
        // the digest made before destroy() still verifies under a live copy of the key
        PasswordHasher restored = PasswordHasher.builder().parameters(TestHashers.small())
                .pepper(PepperKey.of("k1", secret)).build();
        assertTrue(restored.verify("pw".toCharArray(), before).matched());
    }

    @Test
    void destroyRacingConcurrentHashesNeverYieldsADigestUnderAWipedOrHalfWipedPepper() throws Exception {
        byte[] secret = new byte[32];
        for (int i = 0; i < secret.length; i++) {
            secret[i] = (byte) (i * 37 + 11);
        }
        PepperKey key = PepperKey.of("race", secret);
        PasswordHasher hasher = PasswordHasher.builder().parameters(TestHashers.small()).pepper(key).build();
        java.util.Queue<String> digests = new java.util.concurrent.ConcurrentLinkedQueue<>();
        java.util.concurrent.atomic.AtomicInteger refusals = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> unexpected = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean destroyReturned = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch warmedUp = new java.util.concurrent.CountDownLatch(4);
        List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    boolean afterDestroy = false;
                    for (int n = 0; !afterDestroy; n++) {
                        // one more hash once destroy() has returned: it must be refused
                        afterDestroy = destroyReturned.get();
                        digests.add(hasher.hash("pw".toCharArray()));
                        if (n == 3) {
                            warmedUp.countDown();
                        }
                    }
                } catch (IllegalStateException e) {
                    refusals.incrementAndGet();
                    warmedUp.countDown(); // harmless if already counted: the latch stays at zero
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                    warmedUp.countDown();
                }
            });
            t.start();
            threads.add(t);
        }
        assertTrue(warmedUp.await(30, java.util.concurrent.TimeUnit.SECONDS));
        key.destroy();
        destroyReturned.set(true);
        for (Thread t : threads) {
            t.join();
        }
        if (unexpected.get() != null) {
            throw new AssertionError("a hash failed with something other than the destroyed-key refusal", unexpected.get());
        }
        assertEquals(4, refusals.get(), "every thread's hash after destroy() was refused");
        PasswordHasher live = PasswordHasher.builder().parameters(TestHashers.small())
                .pepper(PepperKey.of("race", secret)).build();
        for (String d : digests) {
            assertTrue(live.verify("pw".toCharArray(), d).matched(), "digest not made with the whole key: " + d);
        }
    }

    @Test
    void associatedDataInTheDigestIsHonoured() {
        byte[] salt = "saltsaltsalt".getBytes();
        byte[] data = {9, 8, 7};
        byte[] tag = SMALL.deriveRaw(Argon2Type.ARGON2ID, TestHashers.small(), "pw".getBytes(), salt, null, data);
        String stored = "$argon2id$v=19$m=64,t=1,p=1,data=CQgH$" + b64(salt) + "$" + b64(tag);
        assertTrue(SMALL.verify("pw".toCharArray(), stored).matched());
        assertFalse(SMALL.verify("pw".toCharArray(), stored.replace("data=CQgH", "data=CQgG")).matched());
    }

    @Test
    void legacyVerifiersAreDiscoveredWithServiceLoaderAndInstallableExplicitly() {
        assertEquals(List.of("bcrypt", "pbkdf2-sha256", "scrypt"),
                DEFAULT.legacyVerifiers().stream().map(io.mediastore.passwords.spi.LegacyVerifier::algorithm).toList());
        PasswordHasher none = PasswordHasher.builder().legacyVerifiers(List.of()).build();
        assertReason(Reason.UNSUPPORTED_ALGORITHM, () -> none.verify("password".toCharArray(),
                "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm"));
        Verification v = DEFAULT.verify("password".toCharArray(), "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm");
        assertTrue(v.matched());
        assertEquals(Set.of(RehashReason.LEGACY_ALGORITHM), v.rehashReasons());
        assertFalse(DEFAULT.verify("passwore".toCharArray(), "$2b$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm").matched());
    }

    @Test
    void backendIsReportedAndBothBackendsVerifyEachOthersDigests() {
        PasswordHasher nat = PasswordHasher.builder().parameters(TestHashers.small()).backend(Backend.NATIVE).build();
        PasswordHasher java = PasswordHasher.builder().parameters(TestHashers.small()).backend(Backend.PURE_JAVA).build();
        assertEquals(Backend.NATIVE, nat.backend());
        assertEquals(Backend.PURE_JAVA, java.backend());
        assertNotEquals(Backend.AUTO, DEFAULT.backend());
        assertTrue(java.verify("pw".toCharArray(), nat.hash("pw".toCharArray())).matched());
        assertTrue(nat.verify("pw".toCharArray(), java.hash("pw".toCharArray())).matched());
    }

    @Test
    void verificationToStringLeavesTheReplacementOut() {
        String stored = PasswordHasher.builder().parameters(TestHashers.small().toBuilder().memoryKiB(32).build())
                .build().hash("pw".toCharArray());
        Verification v = SMALL.verify("pw".toCharArray(), stored);
        String replacement = v.replacement().orElseThrow();
        assertFalse(v.toString().contains(replacement.substring(30)));
        assertTrue(v.toString().contains("WEAKER_PARAMETERS"));
    }

    @Test
    void diContainersGetTheDefaults() {
        PasswordHasher injected = new PasswordHasher();
        assertEquals(Argon2Parameters.defaults(), injected.parameters());
        // and a working hasher: the constructor DI containers call once left it without an Argon2 engine
        String stored = injected.hash("pw".toCharArray());
        assertTrue(injected.verify("pw".toCharArray(), stored).matched());
        assertFalse(injected.verify("pW".toCharArray(), stored).matched());
        assertTrue(PasswordHasher.builder().build().verify("pw".toCharArray(), stored).matched());
    }

    static String b64(byte[] b) {
        return java.util.Base64.getEncoder().withoutPadding().encodeToString(b);
    }

    static void assertReason(Reason reason, Executable call) {
        PasswordException e = assertThrows(PasswordException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
    }
}
