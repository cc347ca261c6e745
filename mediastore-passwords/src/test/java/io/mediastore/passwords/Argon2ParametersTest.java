package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Argon2ParametersTest {

    @Test
    void defaultsAreOwaspsArgon2idRecommendation() {
        Argon2Parameters d = Argon2Parameters.defaults();
        assertEquals(19456, d.memoryKiB());
        assertEquals(2, d.iterations());
        assertEquals(1, d.parallelism());
        assertEquals(16, d.saltLength());
        assertEquals(32, d.tagLength());
        assertEquals(d, Argon2Parameters.builder().build());
        assertEquals(d.hashCode(), d.toBuilder().build().hashCode());
        assertNotEquals(d, d.toBuilder().iterations(3).build());
    }

    @Test
    void eachFieldIsValidatedWithAMessageNamingIt() {
        assertMessage("parallelism", Argon2Parameters.builder().parallelism(0));
        assertMessage("parallelism", Argon2Parameters.builder().parallelism(1 << 24));
        assertMessage("memoryKiB", Argon2Parameters.builder().memoryKiB(7));
        assertMessage("memoryKiB", Argon2Parameters.builder().parallelism(4).memoryKiB(31));
        assertMessage("iterations", Argon2Parameters.builder().iterations(0));
        assertMessage("saltLength", Argon2Parameters.builder().saltLength(7));
        assertMessage("saltLength", Argon2Parameters.builder().saltLength(257));
        assertMessage("tagLength", Argon2Parameters.builder().tagLength(3));
        assertMessage("tagLength", Argon2Parameters.builder().tagLength(513));
    }

    @Test
    void boundaryValuesAreAccepted() {
        Argon2Parameters p = Argon2Parameters.builder().memoryKiB(32).parallelism(4).iterations(1)
                .saltLength(8).tagLength(4).build();
        assertEquals(32, p.memoryKiB());
        assertTrue(p.toString().contains("m=32"));
    }

    private static void assertMessage(String field, Argon2Parameters.Builder b) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
