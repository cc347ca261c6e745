package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.hls.spi.ContentKeyStore;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The compatibility kit every {@link ContentKeyStore} passes: extend it and return a fresh, empty store
 * from {@link #newStore()}. Published in the test jar.
 */
public abstract class ContentKeyStoreContract {
  protected final SecureRandom random = new SecureRandom();

  protected abstract ContentKeyStore newStore() throws Exception;

  @Test
  void storedKeysComeBackExactly() throws Exception {
    ContentKeyStore s = newStore();
    ContentKey k = ContentKey.generate(random);
    s.put(k);
    ContentKey back = s.get(k.keyId()).orElseThrow();
    assertEquals(k.keyId(), back.keyId());
    assertArrayEquals(k.copyKeyBytes(), back.copyKeyBytes());
  }

  @Test
  void unknownIdsAreEmpty() throws Exception {
    assertTrue(newStore().get("0123456789abcdef").isEmpty());
  }

  @Test
  void anIdIsNeverOverwritten() throws Exception {
    ContentKeyStore s = newStore();
    ContentKey k = ContentKey.generate(random);
    s.put(k);
    byte[] other = new byte[16];
    random.nextBytes(other);
    assertThrows(IllegalStateException.class, () -> s.put(ContentKey.of(k.keyId(), other)));
    assertArrayEquals(k.copyKeyBytes(), s.get(k.keyId()).orElseThrow().copyKeyBytes());
  }

  @Test
  void deleteRemoves() throws Exception {
    ContentKeyStore s = newStore();
    ContentKey k = ContentKey.generate(random);
    s.put(k);
    assertTrue(s.delete(k.keyId()));
    assertFalse(s.delete(k.keyId()));
    assertTrue(s.get(k.keyId()).isEmpty());
  }

  @Test
  void idsThatCouldEscapeAreRefused() throws Exception {
    ContentKeyStore s = newStore();
    for (String bad : List.of("../x", "a/b", "", "a b", "x".repeat(65), "k\u0000")) {
      assertThrows(IllegalArgumentException.class, () -> s.get(bad), bad);
    }
  }

  @Test
  void concurrentPutsAndGets() throws Exception {
    ContentKeyStore s = newStore();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            ContentKey k = ContentKey.generate(random);
            s.put(k);
            assertArrayEquals(k.copyKeyBytes(), s.get(k.keyId()).orElseThrow().copyKeyBytes());
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
  }
}
