package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.storage.spi.KeyProvider;
import io.mediastore.storage.spi.KeyProviderContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyRingTest extends KeyProviderContract {
    @TempDir
    Path dir;

    @Override
    protected KeyProvider provider() {
        return KeyRing.builder().generate("k1").generate("k2").primary("k2").build();
    }

    @Test
    void toStringNeverShowsKeys() {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) 0x41);
        String s = KeyRing.builder().add("k", key).build().toString();
        assertFalse(s.contains("AAAA") || s.contains("QUFB"), s);
    }

    @Test
    void loadsAnOwnerOnlyKeyFileAndRefusesAReadableOne() throws Exception {
        Path file = dir.resolve("keys");
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        k2[0] = 1;
        Files.writeString(file, "# master keys\nold " + Base64.getEncoder().encodeToString(k1) + "\nnew "
                + Base64.getEncoder().encodeToString(k2) + "\nprimary new\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        KeyRing ring = KeyRing.load(file);
        assertEquals("new", ring.currentKeyId());
        assertEquals(java.util.Set.of("old", "new"), ring.keyIds());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThrows(IllegalArgumentException.class, () -> KeyRing.load(file));
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> KeyRing.builder().build());
        assertThrows(IllegalArgumentException.class, () -> KeyRing.builder().add("k", new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> KeyRing.builder().add("bad id", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> KeyRing.builder().generate("a").primary("b").build());
    }
}
