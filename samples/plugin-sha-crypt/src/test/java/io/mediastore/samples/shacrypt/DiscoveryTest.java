package io.mediastore.samples.shacrypt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.passwords.PasswordHasher;
import io.mediastore.passwords.RehashReason;
import io.mediastore.passwords.Verification;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The point of the plugin: on the classpath, a default hasher finds it with no code or configuration. */
class DiscoveryTest {
    @Test
    void aDefaultHasherMigratesShaCryptDigestsFoundOnTheClasspath() {
        PasswordHasher hasher = PasswordHasher.builder().build();
        Verification v = hasher.verify("Tr0ub4dor&3".toCharArray(), "$5$qwerty$/uNhZ94gDTZCY03yGujwlIhAaNVa.IRm/UQMPTUPXaC");
        assertTrue(v.matched());
        assertEquals(Set.of(RehashReason.LEGACY_ALGORITHM), v.rehashReasons());
        String argon = v.replacement().orElseThrow();
        assertTrue(argon.startsWith("$argon2id$"), argon);
        assertTrue(hasher.verify("Tr0ub4dor&3".toCharArray(), argon).matched());
        assertTrue(!hasher.verify("tr0ub4dor&3".toCharArray(), "$5$qwerty$/uNhZ94gDTZCY03yGujwlIhAaNVa.IRm/UQMPTUPXaC").matched());
    }
}
