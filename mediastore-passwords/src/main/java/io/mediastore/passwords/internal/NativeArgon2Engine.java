package io.mediastore.passwords.internal;

import de.mkammerer.argon2.Argon2Advanced;
import de.mkammerer.argon2.Argon2Factory;
import de.mkammerer.argon2.Argon2Version;
import io.mediastore.passwords.Argon2Type;
import io.mediastore.passwords.Backend;
import java.util.Arrays;

/** Native libargon2 through argon2-jvm's raw-bytes API (which also takes a secret and associated data). */
public final class NativeArgon2Engine implements Argon2Engine {
    private final Argon2Advanced[] byType = new Argon2Advanced[3];

    private NativeArgon2Engine() {
        byType[Argon2Type.ARGON2D.id()] = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2d);
        byType[Argon2Type.ARGON2I.id()] = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2i);
        byType[Argon2Type.ARGON2ID.id()] = Argon2Factory.createAdvanced(Argon2Factory.Argon2Types.ARGON2id);
    }

    /**
     * Loads libargon2 and checks it against the pure-Java core on a tiny input, so a library that
     * loads but computes something else is never used.
     *
     * @throws LinkageError or RuntimeException when the native library is unusable
     */
    public static NativeArgon2Engine load() {
        NativeArgon2Engine engine = new NativeArgon2Engine();
        byte[] pw = {1, 2, 3};
        byte[] salt = {4, 5, 6, 7, 8, 9, 10, 11};
        byte[] expected = new byte[16];
        Argon2Core.hash(Argon2Type.ARGON2ID, 0x13, 8, 1, 1, pw, salt, null, null, expected,
                new long[Argon2Core.blockCount(8, 1) * Argon2Core.WORDS]);
        byte[] actual = new byte[16];
        engine.hash(Argon2Type.ARGON2ID, 0x13, 8, 1, 1, pw, salt, null, null, actual, null); // lease unused for p > 0
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException("native libargon2 disagrees with the Argon2 specification");
        }
        return engine;
    }

    @Override
    public Backend backend() {
        return Backend.NATIVE;
    }

    @Override
    public void hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism, byte[] password,
                     byte[] salt, byte[] secret, byte[] associatedData, byte[] out, MemoryBudget.Lease lease) {
        if (password.length == 0) {
            // argon2-jvm cannot pass a zero-length buffer through JNA; same function, computed in Java
            JavaArgon2Engine.INSTANCE.hash(type, version, memoryKiB, iterations, parallelism, password, salt, secret,
                    associatedData, out, lease);
            return;
        }
        // argon2-jvm takes null for "no secret / no associated data" (an empty JNA buffer is an error)
        byte[] tag = byType[type.id()].rawHashAdvanced(iterations, memoryKiB, parallelism, password, salt,
                emptyToNull(secret), emptyToNull(associatedData), out.length,
                version == 0x13 ? Argon2Version.V13 : Argon2Version.V10);
        System.arraycopy(tag, 0, out, 0, out.length);
        Arrays.fill(tag, (byte) 0);
    }

    private static byte[] emptyToNull(byte[] b) {
        return b == null || b.length == 0 ? null : b;
    }
}
