package io.mediastore.tokens.spi;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every {@link RevocationList} must do; implementations extend this with a fresh, empty list. */
public abstract class RevocationListContract {
    private static final Instant T = Instant.parse("2026-12-04T12:00:00Z");

    protected abstract RevocationList newList() throws Exception;

    private static String id() {
        return UUID.randomUUID().toString();
    }

    @Test
    void nothingIsRevokedAtFirst() throws Exception {
        assertFalse(newList().isRevoked(id(), "user", T));
    }

    @Test
    void revokesOneToken() throws Exception {
        RevocationList l = newList();
        String a = id();
        String b = id();
        l.revokeToken(a, Instant.now().plus(Duration.ofHours(1)));
        assertTrue(l.isRevoked(a, "user", T));
        assertFalse(l.isRevoked(b, "user", T));
        l.revokeToken(a, Instant.now().plus(Duration.ofHours(2))); // again: idempotent
        assertTrue(l.isRevoked(a, "user", T));
    }

    @Test
    void revokesASubjectUpToAnInstantInclusive() throws Exception {
        RevocationList l = newList();
        l.revokeSubject("user-1", T);
        assertTrue(l.isRevoked(id(), "user-1", T.minusSeconds(3600)));
        assertTrue(l.isRevoked(id(), "user-1", T));
        assertFalse(l.isRevoked(id(), "user-1", T.plusSeconds(1)));
        assertFalse(l.isRevoked(id(), "user-2", T.minusSeconds(3600)));
    }

    @Test
    void theSubjectCutOffOnlyMovesForward() throws Exception {
        RevocationList l = newList();
        l.revokeSubject("user-1", T.plusSeconds(100));
        l.revokeSubject("user-1", T);
        assertTrue(l.isRevoked(id(), "user-1", T.plusSeconds(100)));
        l.revokeSubject("user-1", T.plusSeconds(200));
        assertTrue(l.isRevoked(id(), "user-1", T.plusSeconds(150)));
        assertFalse(l.isRevoked(id(), "user-1", T.plusSeconds(201)));
    }

    @Test
    void subjectsAreExactStrings() throws Exception {
        RevocationList l = newList();
        l.revokeSubject("user-1", T);
        assertFalse(l.isRevoked(id(), "user-10", T));
        assertFalse(l.isRevoked(id(), "USER-1", T));
        assertFalse(l.isRevoked(id(), "user-1'--", T));
    }
}
