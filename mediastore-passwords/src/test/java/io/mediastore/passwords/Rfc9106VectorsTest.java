package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** RFC 9106 section 5 test vectors (m=32 KiB, t=3, p=4, secret and associated data) on both backends. */
class Rfc9106VectorsTest {
    private static final byte[] PASSWORD = filled(32, 0x01);
    private static final byte[] SALT = filled(16, 0x02);
    private static final byte[] SECRET = filled(8, 0x03);
    private static final byte[] AD = filled(12, 0x04);
    private static final Argon2Parameters PARAMS = Argon2Parameters.builder().memoryKiB(32).iterations(3)
            .parallelism(4).tagLength(32).build();

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"NATIVE", "PURE_JAVA"})
    void argon2idSection53(Backend backend) {
        assertArrayEquals(TestHashers.hex("0d 64 0d f5 8d 78 76 6c 08 c0 37 a3 4a 8b 53 c9"
                        + "d0 1e f0 45 2d 75 b6 5e b5 25 20 e9 6b 01 e6 59"),
                hasher(backend).deriveRaw(Argon2Type.ARGON2ID, PARAMS, PASSWORD, SALT, SECRET, AD));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"NATIVE", "PURE_JAVA"})
    void argon2dSection51(Backend backend) {
        assertArrayEquals(TestHashers.hex("51 2b 39 1b 6f 11 62 97 53 71 d3 09 19 73 42 94"
                        + "f8 68 e3 be 39 84 f3 c1 a1 3a 4d b9 fa be 4a cb"),
                hasher(backend).deriveRaw(Argon2Type.ARGON2D, PARAMS, PASSWORD, SALT, SECRET, AD));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"NATIVE", "PURE_JAVA"})
    void argon2iSection52(Backend backend) {
        assertArrayEquals(TestHashers.hex("c8 14 d9 d1 dc 7f 37 aa 13 f0 d7 7f 24 94 bd a1"
                        + "c8 de 6b 01 6d d3 88 d2 99 52 a4 c4 67 2b 6c e8"),
                hasher(backend).deriveRaw(Argon2Type.ARGON2I, PARAMS, PASSWORD, SALT, SECRET, AD));
    }

    private static PasswordHasher hasher(Backend backend) {
        return PasswordHasher.builder().backend(backend).build();
    }

    private static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }
}
