package io.mediastore.samples.server.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretsTest {
    @TempDir
    Path dir;

    @Test
    void generatedOnceOwnerOnlyAndRotationKeepsOldKeys() throws Exception {
        Path f = dir.resolve("s.properties");
        Secrets a = Secrets.loadOrCreate(f);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
        Secrets b = Secrets.loadOrCreate(f);
        assertArrayEquals(a.family(Secrets.PEPPER).currentKey(), b.family(Secrets.PEPPER).currentKey());
        Secrets r = Secrets.rotate(f, Secrets.HLS_MASTER);
        assertNotEquals(a.family(Secrets.HLS_MASTER).current(), r.family(Secrets.HLS_MASTER).current());
        assertArrayEquals(a.family(Secrets.HLS_MASTER).currentKey(), r.family(Secrets.HLS_MASTER).key(a.family(Secrets.HLS_MASTER).current()));
        assertEquals(2, r.family(Secrets.HLS_MASTER).keys().size());
        assertEquals(1, r.family(Secrets.PEPPER).keys().size());
        assertFalse(r.toString().contains(java.util.Base64.getEncoder().encodeToString(r.family(Secrets.PEPPER).currentKey())));
    }

    @Test
    void wrapOpensOnlyUnderTheSameKeyAndContext() {
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        k2[0] = 1;
        String w = Wrap.wrap(k1, new byte[] {1, 2, 3}, "ctx");
        assertArrayEquals(new byte[] {1, 2, 3}, Wrap.unwrap(k1, w, "ctx"));
        assertThrows(IllegalStateException.class, () -> Wrap.unwrap(k2, w, "ctx"));
        assertThrows(IllegalStateException.class, () -> Wrap.unwrap(k1, w, "other"));
        assertNotEquals(w, Wrap.wrap(k1, new byte[] {1, 2, 3}, "ctx"));
    }

    @Test
    void selfSignedCertificateCoversLocalNames() throws Exception {
        TlsMaterial t = TlsMaterial.loadOrCreate(dir.resolve("tls"), List.of("localhost", "media.example"));
        TlsMaterial again = TlsMaterial.loadOrCreate(dir.resolve("tls"), List.of("other"));
        assertEquals(t.certificate(), again.certificate());
        String sans = t.certificate().getSubjectAlternativeNames().toString();
        for (String n : List.of("localhost", "media.example", "127.0.0.1")) {
            assertFalse(!sans.contains(n), sans);
        }
        t.certificate().checkValidity();
    }
}
