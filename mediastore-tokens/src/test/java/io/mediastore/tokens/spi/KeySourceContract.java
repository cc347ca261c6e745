package io.mediastore.tokens.spi;

import io.mediastore.tokens.AccessRequest;
import io.mediastore.tokens.KeyRing;
import io.mediastore.tokens.KeyType;
import io.mediastore.tokens.Resource;
import io.mediastore.tokens.TokenKey;
import io.mediastore.tokens.TokenRejectedException;
import io.mediastore.tokens.TokenService;
import io.mediastore.tokens.TokenSpec;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every {@link KeySource} must do: return a ring at once, and follow a rotation without a restart
 * so tokens of the previous key keep verifying while it is still listed.
 */
public abstract class KeySourceContract {
    /** A source serving {@code initial}. */
    protected abstract KeySource newSource(KeyRing initial) throws Exception;

    /** Makes {@code source} serve {@code next} (by whatever means the implementation offers) and waits until it does. */
    protected abstract void rotate(KeySource source, KeyRing next) throws Exception;

    private static TokenSpec spec() {
        return TokenSpec.builder().subject("u").resource(Resource.exact("a")).actions("download")
                .lifetime(Duration.ofMinutes(5)).build();
    }

    @Test
    void servesTheRing() throws Exception {
        TokenKey k = TokenKey.generate(KeyType.HMAC_SHA256, "k1");
        KeySource s = newSource(KeyRing.of(k));
        assertNotNull(s.keyRing());
        assertEquals("k1", s.keyRing().active().orElseThrow().keyId());
        assertTrue(s.keyRing().find("k1").isPresent());
    }

    @Test
    void rotationWithoutDowntime() throws Exception {
        TokenKey old = TokenKey.generate(KeyType.HMAC_SHA256, "old");
        TokenKey next = TokenKey.generate(KeyType.HMAC_SHA256, "next");
        KeySource source = newSource(KeyRing.of(old));
        TokenService service = TokenService.builder(source).build();
        String before = service.issue(spec()).token();
        rotate(source, KeyRing.of(next, old));
        String after = service.issue(spec()).token();
        assertEquals("old", service.verify(before, AccessRequest.of("a", "download")).keyId());
        assertEquals("next", service.verify(after, AccessRequest.of("a", "download")).keyId());
        rotate(source, KeyRing.of(next));
        TokenRejectedException e = assertThrows(TokenRejectedException.class,
                () -> service.verify(before, AccessRequest.of("a", "download")));
        assertEquals(TokenRejectedException.Reason.UNKNOWN_KEY, e.reason());
    }
}
