package io.mediastore.tokens;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyRingTest {
    @Test
    void keysAreValidatedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> TokenKey.hmacSha256("k", new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> TokenKey.pasetoV4Local("k", new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> TokenKey.ed25519Private("k", KeyType.HMAC_SHA256, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> TokenKey.ed25519Public("k", KeyType.ED25519, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> TokenKey.hmacSha256("a.b", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> TokenKey.hmacSha256("", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> TokenKey.hmacSha256("x".repeat(65), new byte[32]));
        assertThrows(IllegalStateException.class, () -> TokenKey.generate(KeyType.HMAC_SHA256, "k").publicKey());
    }

    @Test
    void keyMaterialIsCopiedIn() {
        byte[] raw = new byte[32];
        TokenKey k = TokenKey.hmacSha256("k", raw);
        raw[0] = 1;
        assertEquals(0, k.insecureExportSecretMaterial()[0]);
        assertThrows(IllegalStateException.class,
                () -> TokenKey.generate(KeyType.ED25519, "e").publicKey().insecureExportSecretMaterial());
    }

    @Test
    void ringRules() {
        TokenKey a = TokenKey.generate(KeyType.HMAC_SHA256, "a");
        TokenKey b = TokenKey.generate(KeyType.ED25519, "b");
        assertThrows(IllegalArgumentException.class, () -> KeyRing.of(a, TokenKey.generate(KeyType.ED25519, "a")));
        assertThrows(IllegalArgumentException.class, () -> KeyRing.of(b.publicKey()));
        assertThrows(IllegalArgumentException.class, () -> KeyRing.verifyOnly(List.of()));
        KeyRing r = KeyRing.of(a, b.publicKey());
        assertEquals(List.of("a", "b"), r.keyIds());
        assertTrue(r.find("b").isPresent());
        assertFalse(r.find("c").isPresent());
        assertFalse(KeyRing.verifyOnly(List.of(b.publicKey())).active().isPresent());
    }
}
