package io.mediastore.tokens.spi;

import io.mediastore.tokens.KeyRing;
import io.mediastore.tokens.KeyType;
import io.mediastore.tokens.TokenKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyFileKeySourceTest extends KeySourceContract {
    @TempDir
    Path dir;

    @Override
    protected KeySource newSource(KeyRing initial) throws Exception {
        Path f = dir.resolve("keys");
        Files.writeString(f, KeyFileKeySource.format(initial));
        return new KeyFileKeySource(f, Duration.ZERO);
    }

    @Override
    protected void rotate(KeySource source, KeyRing next) throws Exception {
        Path f = dir.resolve("keys");
        FileTime before = Files.getLastModifiedTime(f);
        Files.writeString(f, KeyFileKeySource.format(next));
        // an edit within the file system's timestamp resolution, or a copy that keeps the time, is still a change
        Files.setLastModifiedTime(f, before);
        assertEquals(next.keyIds(), source.keyRing().keyIds());
    }

    @Test
    void everyKeyKindRoundTripsThroughTheFile() throws Exception {
        TokenKey hmac = TokenKey.generate(KeyType.HMAC_SHA256, "h");
        TokenKey local = TokenKey.generate(KeyType.PASETO_V4_LOCAL, "l");
        TokenKey ed = TokenKey.generate(KeyType.ED25519, "e");
        TokenKey pub = TokenKey.generate(KeyType.PASETO_V4_PUBLIC, "p").publicKey();
        KeyRing ring = KeyRing.of(hmac, local, ed, pub);
        KeyRing back = KeyFileKeySource.parse(List.of(KeyFileKeySource.format(ring).split("\n")));
        assertEquals(ring.keyIds(), back.keyIds());
        assertEquals("h", back.active().orElseThrow().keyId());
        assertArrayEquals(ed.publicKeyBytes(), back.find("e").orElseThrow().publicKeyBytes());
        assertFalse(back.find("p").orElseThrow().canSign());
        assertEquals(KeyType.PASETO_V4_LOCAL, back.find("l").orElseThrow().type());
    }

    @Test
    void badFilesAreRefusedWithoutEchoingKeys() throws Exception {
        Path f = dir.resolve("bad");
        Files.writeString(f, "key k HMAC_SHA256 secret c2hvcnQ\nactive k\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KeyFileKeySource(f));
        assertFalse(e.getMessage().contains("c2hvcnQ"), e.getMessage());
        Files.writeString(f, "key k HMAC_SHA256 public AAAA\n");
        assertThrows(IllegalArgumentException.class, () -> new KeyFileKeySource(f));
        Files.writeString(f, "active nope\nkey k ED25519 public " + io.mediastore.tokens.internal.Base64Url.encode(
                TokenKey.generate(KeyType.ED25519, "x").publicKeyBytes()) + "\n");
        assertThrows(IllegalArgumentException.class, () -> new KeyFileKeySource(f));
        assertThrows(UncheckedIOException.class, () -> new KeyFileKeySource(dir.resolve("missing")));
    }

    @Test
    void aBrokenReloadKeepsThePreviousKeys() throws Exception {
        KeySource s = newSource(KeyRing.of(TokenKey.generate(KeyType.HMAC_SHA256, "k1")));
        Path f = dir.resolve("keys");
        FileTime before = Files.getLastModifiedTime(f);
        Files.writeString(f, "garbage\n");
        Files.setLastModifiedTime(f, FileTime.fromMillis(before.toMillis() + 2000));
        assertEquals(List.of("k1"), s.keyRing().keyIds());
        assertTrue(s.keyRing().active().isPresent());
    }

    @Test
    void aKeyFileErrorNeverEchoesKeyMaterial(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        byte[] raw = new byte[32];
        new java.security.SecureRandom().nextBytes(raw);
        String material = io.mediastore.tokens.internal.Base64Url.encode(raw);
        // fields moved about by a hand edit
        for (List<String> lines : List.of(
                List.of("key k1 " + material + " secret HMAC_SHA256", "active k1"),
                List.of("key k1 HMAC_SHA256 " + material + " secret", "active k1"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyFileKeySource.parse(lines));
            for (Throwable t = e; t != null; t = t.getCause()) {
                assertFalse(String.valueOf(t.getMessage()).contains(material), "the key material is in: " + t.getMessage());
            }
            java.nio.file.Path f = dir.resolve("keys");
            java.nio.file.Files.writeString(f, String.join("\n", lines) + "\n");
            IllegalArgumentException atStart = assertThrows(IllegalArgumentException.class, () -> new KeyFileKeySource(f));
            assertFalse(atStart.getMessage().contains(material), atStart.getMessage());
            assertTrue(atStart.getMessage().startsWith("line 1: "), atStart.getMessage());
        }
    }
}
