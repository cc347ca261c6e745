package io.mediastore.tokens;

import io.mediastore.tokens.internal.Json;
import io.mediastore.tokens.internal.PasetoV4;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The official PASETO v4 test vectors (paseto-standard/test-vectors v4.json), every one, the expected
 * failures included. Each is run the way a user of our API would: with a key of the type the vector's
 * key material denotes, so the key-type checks are part of what is tested.
 */
class PasetoVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static String vectorsJson() throws IOException {
        try (InputStream in = PasetoVectorsTest.class.getResourceAsStream("/paseto/v4.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void bundledCopyMatchesTheSharedVectors() throws IOException {
        Path shared = Path.of("../../shared/testdata/paseto/v4.json");
        if (Files.exists(shared)) {
            assertEquals(Files.readString(shared), vectorsJson());
        }
    }

    @SuppressWarnings("unchecked")
    @TestFactory
    Stream<DynamicTest> everyV4Vector() throws Exception {
        Map<String, Object> root = Json.parseObject(vectorsJson());
        List<Object> tests = (List<Object>) root.get("tests");
        assertEquals(17, tests.size());
        return tests.stream().map(o -> (Map<String, Object>) o).map(t ->
                DynamicTest.dynamicTest((String) t.get("name"), () -> run(t)));
    }

    private static byte[] utf8(Object s) {
        return s == null || s == Json.NULL ? new byte[0] : ((String) s).getBytes(StandardCharsets.UTF_8);
    }

    private static void run(Map<String, Object> t) {
        String token = (String) t.get("token");
        byte[] footer = utf8(t.get("footer"));
        byte[] implicit = utf8(t.get("implicit-assertion"));
        boolean fail = (Boolean) t.get("expect-fail");
        TokenKey key;
        if (t.get("key") instanceof String k) {
            key = TokenKey.pasetoV4Local("vector", HEX.parseHex(k));
        } else if (t.get("secret-key-seed") instanceof String seed) {
            key = TokenKey.ed25519Private("vector", KeyType.PASETO_V4_PUBLIC, HEX.parseHex(seed));
            assertArrayEquals(HEX.parseHex((String) t.get("public-key")), key.publicKeyBytes());
        } else {
            key = TokenKey.ed25519Public("vector", KeyType.PASETO_V4_PUBLIC, HEX.parseHex((String) t.get("public-key")));
        }
        if (fail) {
            TokenRejectedException e = assertThrows(TokenRejectedException.class, () -> Paseto.open(key, token, implicit));
            assertTrue(e.reason() == TokenRejectedException.Reason.MALFORMED
                    || e.reason() == TokenRejectedException.Reason.BAD_SIGNATURE, e.reason().name());
            return;
        }
        byte[] payload = utf8(t.get("payload"));
        Paseto.Message m = Paseto.open(key, token, implicit);
        assertArrayEquals(payload, m.payload());
        assertArrayEquals(footer, m.footer());
        // and we produce exactly the vector's token
        if (key.type() == KeyType.PASETO_V4_LOCAL) {
            assertEquals(token, PasetoV4.encrypt(key.secretMaterial(), payload, footer, implicit,
                    HEX.parseHex((String) t.get("nonce"))));
            assertFalse(Paseto.encrypt(key, payload, footer, implicit).equals(token), "random nonce");
        } else {
            assertEquals(token, Paseto.sign(key, payload, footer, implicit));
            // the verify-only half verifies too
            assertArrayEquals(payload, Paseto.open(key.publicKey(), token, implicit).payload());
        }
    }
}
