package io.mediastore.passwords.internal;

import io.mediastore.passwords.Backend;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the Argon2 engine for a requested backend; the native library is loaded once per JVM. */
public final class Engines {
    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);
    private static final AtomicBoolean FALLBACK_LOGGED = new AtomicBoolean();
    private static volatile Object nativeOutcome; // NativeArgon2Engine or the Throwable that stopped it

    private Engines() {}

    public static Argon2Engine select(Backend requested) {
        return select(requested, Engines::loadNativeOnce);
    }

    /** Same as {@link #select(Backend)} with a given native loader (tests simulate a failing load). */
    public static Argon2Engine select(Backend requested, Supplier<Argon2Engine> nativeLoader) {
        switch (requested) {
            case PURE_JAVA:
                return JavaArgon2Engine.INSTANCE;
            case NATIVE:
                return nativeLoader.get();
            default:
                try {
                    return nativeLoader.get();
                } catch (RuntimeException | LinkageError e) {
                    if (FALLBACK_LOGGED.compareAndSet(false, true)) {
                        LOG.warn("native libargon2 unavailable ({}); hashing with the pure-Java Argon2 backend",
                                e.toString());
                    }
                    return JavaArgon2Engine.INSTANCE;
                }
        }
    }

    private static Argon2Engine loadNativeOnce() {
        Object outcome = nativeOutcome;
        if (outcome == null) {
            synchronized (Engines.class) {
                outcome = nativeOutcome;
                if (outcome == null) {
                    try {
                        outcome = NativeArgon2Engine.load();
                    } catch (RuntimeException | LinkageError e) {
                        outcome = e;
                    }
                    nativeOutcome = outcome;
                }
            }
        }
        if (outcome instanceof Argon2Engine engine) {
            return engine;
        }
        Throwable t = (Throwable) outcome;
        throw new IllegalStateException("native libargon2 cannot be used: " + t, t);
    }
}
