package io.mediastore.passwords.internal;

import io.mediastore.passwords.Argon2Type;
import io.mediastore.passwords.Backend;

/** One Argon2 implementation. Called only with validated parameters and under a budget lease. */
public interface Argon2Engine {
    Backend backend();

    /** Fills {@code out} with the tag; {@code secret} and {@code associatedData} may be null. */
    void hash(Argon2Type type, int version, int memoryKiB, int iterations, int parallelism, byte[] password,
              byte[] salt, byte[] secret, byte[] associatedData, byte[] out, MemoryBudget.Lease lease);
}
