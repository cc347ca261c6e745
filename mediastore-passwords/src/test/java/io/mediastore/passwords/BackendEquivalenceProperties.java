package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;

/** Native libargon2, our pure-Java core and BouncyCastle agree for any parameters. */
class BackendEquivalenceProperties {

    @Property(tries = 60)
    void nativeAndPureJavaProduceIdenticalPhcStrings(@ForAll @StringLength(min = 1, max = 40) String password,
            @ForAll @IntRange(min = 1, max = 4) int p, @ForAll @IntRange(min = 0, max = 256) int extraKiB,
            @ForAll @IntRange(min = 1, max = 3) int t, @ForAll @IntRange(min = 8, max = 48) int saltLength,
            @ForAll @IntRange(min = 4, max = 96) int tagLength, @ForAll long seed) {
        if (password.codePoints().anyMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF)) {
            return; // unpaired surrogates are refused by both, tested elsewhere
        }
        Argon2Parameters params = Argon2Parameters.builder().memoryKiB(8 * p + extraKiB).iterations(t)
                .parallelism(p).saltLength(saltLength).tagLength(tagLength).build();
        String nat = PasswordHasher.builder().parameters(params).backend(Backend.NATIVE)
                .secureRandom(TestHashers.seeded(seed)).build().hash(password.toCharArray());
        String java = PasswordHasher.builder().parameters(params).backend(Backend.PURE_JAVA)
                .secureRandom(TestHashers.seeded(seed)).build().hash(password.toCharArray());
        assertEquals(nat, java);
        assertTrue(nat.startsWith("$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + t + ",p=" + p + "$"));
    }

    @Property(tries = 60)
    void rawPathAgreesWithBouncyCastleForEveryTypeAndVersion(@ForAll @Size(max = 40) byte[] password,
            @ForAll @Size(min = 8, max = 40) byte[] salt, @ForAll @Size(max = 16) byte[] secret,
            @ForAll @Size(max = 16) byte[] ad, @ForAll Argon2Type type,
            @ForAll @IntRange(min = 1, max = 4) int p, @ForAll @IntRange(min = 0, max = 200) int extraKiB,
            @ForAll @IntRange(min = 1, max = 3) int t) {
        Argon2Parameters params = Argon2Parameters.builder().memoryKiB(8 * p + extraKiB).iterations(t)
                .parallelism(p).build();
        byte[] expected = new byte[32];
        Argon2BytesGenerator bc = new Argon2BytesGenerator();
        bc.init(new org.bouncycastle.crypto.params.Argon2Parameters.Builder(type.id()).withVersion(0x13)
                .withMemoryAsKB(params.memoryKiB()).withIterations(t).withParallelism(p).withSalt(salt)
                .withSecret(secret).withAdditional(ad).build());
        bc.generateBytes(password, expected);
        for (Backend backend : new Backend[] {Backend.NATIVE, Backend.PURE_JAVA}) {
            byte[] ours = PasswordHasher.builder().backend(backend).build()
                    .deriveRaw(type, params, password, salt, secret, ad);
            assertArrayEquals(expected, ours, backend.toString());
        }
    }
}
