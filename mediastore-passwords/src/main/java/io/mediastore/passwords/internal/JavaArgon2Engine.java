package io.mediastore.passwords.internal;

import io.mediastore.passwords.Argon2Type;
import io.mediastore.passwords.Backend;

/** {@link Argon2Core} over a block array borrowed from the budget's pool. */
public final class JavaArgon2Engine implements Argon2Engine {
    public static final JavaArgon2Engine INSTANCE = new JavaArgon2Engine();

    private JavaArgon2Engine() {}

    @Override
    public Backend backend() {
        return Backend.PURE_JAVA;
    }

    @Override
    public void hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism, byte[] password,
                     byte[] salt, byte[] secret, byte[] associatedData, byte[] out, MemoryBudget.Lease lease) {
        long[] memory = lease.blocks(Argon2Core.blockCount(memoryKiB, parallelism) * Argon2Core.WORDS);
        Argon2Core.hash(type, version, memoryKiB, iterations, parallelism, password, salt, secret,
                associatedData, out, memory);
    }
}
