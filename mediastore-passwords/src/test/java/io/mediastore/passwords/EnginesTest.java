package io.mediastore.passwords;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.passwords.internal.Engines;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void autoFallsBackToPureJavaWhenTheNativeLibraryCannotLoad() {
        assertEquals(Backend.PURE_JAVA, Engines.select(Backend.AUTO, () -> {
            throw new UnsatisfiedLinkError("simulated: no libargon2 for this platform (musl)");
        }).backend());
        assertEquals(Backend.PURE_JAVA, Engines.select(Backend.AUTO, () -> {
            throw new IllegalStateException("simulated: native library computes something else");
        }).backend());
    }

    @Test
    void autoPrefersNativeHereAndExplicitNativeFailsLoudly() {
        assertEquals(Backend.NATIVE, Engines.select(Backend.AUTO).backend());
        assertThrows(UnsatisfiedLinkError.class, () -> Engines.select(Backend.NATIVE, () -> {
            throw new UnsatisfiedLinkError("simulated");
        }));
        assertEquals(Backend.PURE_JAVA, Engines.select(Backend.PURE_JAVA, () -> {
            throw new AssertionError("must not even try native");
        }).backend());
    }
}
