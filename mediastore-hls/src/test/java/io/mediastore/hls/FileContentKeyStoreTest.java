package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.hls.spi.ContentKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileContentKeyStoreTest extends ContentKeyStoreContract {
  @TempDir Path dir;
  final MasterKey master = MasterKey.generate(random);
  int n;

  @Override
  protected ContentKeyStore newStore() {
    return new FileContentKeyStore(dir.resolve("s" + n++), master);
  }

  @Test
  void keysAreWrappedNotStoredInClear() throws Exception {
    Path d = dir.resolve("w");
    FileContentKeyStore s = new FileContentKeyStore(d, master);
    ContentKey k = ContentKey.generate(random);
    s.put(k);
    byte[] file = Files.readAllBytes(d.resolve(k.keyId() + ".key"));
    assertEquals(48, file.length);
    byte[] raw = k.copyKeyBytes();
    for (int i = 0; i + 16 <= file.length; i++) {
      assertFalse(java.util.Arrays.equals(file, i, i + 16, raw, 0, 16), "clear key bytes in the file");
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.resolve(k.keyId() + ".key"))));
  }

  @Test
  void aWrongMasterKeyATamperedFileOrAMovedFileFails() throws Exception {
    Path d = dir.resolve("t");
    FileContentKeyStore s = new FileContentKeyStore(d, master);
    ContentKey k = ContentKey.generate(random);
    s.put(k);
    FileContentKeyStore other = new FileContentKeyStore(d, MasterKey.generate(random));
    assertEquals(HlsException.Reason.KEY_STORE_FAILURE, assertThrows(HlsException.class, () -> other.get(k.keyId())).reason());
    // the id is bound to the wrapped key: a file copied under another id does not unwrap
    Files.copy(d.resolve(k.keyId() + ".key"), d.resolve("moved.key"));
    assertEquals(HlsException.Reason.KEY_STORE_FAILURE, assertThrows(HlsException.class, () -> s.get("moved")).reason());
    byte[] f = Files.readAllBytes(d.resolve(k.keyId() + ".key"));
    f[20] ^= 1;
    Files.write(d.resolve(k.keyId() + ".key"), f);
    HlsException e = assertThrows(HlsException.class, () -> s.get(k.keyId()));
    assertEquals(HlsException.Reason.KEY_STORE_FAILURE, e.reason());
    Files.write(d.resolve("short.key"), new byte[5]);
    assertEquals(HlsException.Reason.KEY_STORE_FAILURE, assertThrows(HlsException.class, () -> s.get("short")).reason());
  }

  @Test
  void destroyedKeysAreRefusedNeverUsedAsZeros() {
    Path d = dir.resolve("destroyed");
    MasterKey m = MasterKey.generate(random);
    FileContentKeyStore s = new FileContentKeyStore(d, m);
    ContentKey kept = ContentKey.generate(random);
    s.put(kept);

    ContentKey gone = ContentKey.generate(random);
    gone.destroy();
    assertTrue(gone.isDestroyed());
    IllegalStateException e = assertThrows(IllegalStateException.class, gone::copyKeyBytes);
    assertEquals("content key " + gone.keyId() + " has been destroyed", e.getMessage());
    assertThrows(IllegalStateException.class, () -> s.put(gone), "a wiped key must not be stored as sixteen zeros");
    assertFalse(Files.exists(d.resolve(gone.keyId() + ".key")));

    // a store whose master key was destroyed neither wraps under nor unwraps with an all-zero key
    m.destroy();
    assertTrue(m.isDestroyed());
    assertThrows(IllegalStateException.class, () -> s.put(ContentKey.generate(random)));
    assertThrows(IllegalStateException.class, () -> s.get(kept.keyId()));
  }

  @Test
  void secretsStayOutOfToString() {
    ContentKey k = ContentKey.generate(random);
    String hex = java.util.HexFormat.of().formatHex(k.copyKeyBytes());
    assertFalse(k.toString().contains(hex));
    assertEquals("MasterKey[hidden]", master.toString());
    assertThrows(IllegalArgumentException.class, () -> ContentKey.of("id", new byte[15]));
    assertThrows(IllegalArgumentException.class, () -> MasterKey.of(new byte[16]));
  }
}
