package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.hls.spi.ContentKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A key store seen through a scope passes the contract, and keeps each scope's keys to itself. */
class ScopedContentKeyStoreTest extends ContentKeyStoreContract {
  @TempDir Path dir;
  final MasterKey master = MasterKey.generate(random);
  int n;

  @Override
  protected ContentKeyStore newStore() {
    return new FileContentKeyStore(dir.resolve("s" + n++), master).scopedTo("video/123");
  }

  @Test
  void aKeyIsReadableOnlyThroughTheScopeItWasPutThrough() throws Exception {
    FileContentKeyStore shared = new FileContentKeyStore(dir.resolve("shared"), master);
    ContentKeyStore a = shared.scopedTo("video/A");
    ContentKeyStore b = shared.scopedTo("video/B");
    ContentKey k = ContentKey.generate(random);
    a.put(k);
    assertArrayEquals(k.copyKeyBytes(), a.get(k.keyId()).orElseThrow().copyKeyBytes());
    assertEquals(k.keyId(), a.get(k.keyId()).orElseThrow().keyId(), "the id the playlist names");
    assertTrue(b.get(k.keyId()).isEmpty(), "asset B's requests never yield asset A's key");
    assertTrue(shared.get(k.keyId()).isEmpty(), "nor does the unscoped store, by the public id");
    assertTrue(shared.scopedTo("video/A/").get(k.keyId()).isEmpty(), "nor a scope that merely starts the same");
    assertFalse(b.delete(k.keyId()));
    assertTrue(a.get(k.keyId()).isPresent(), "another scope cannot delete it either");
    try (var files = Files.list(dir.resolve("shared"))) {
      assertTrue(files.noneMatch(f -> f.getFileName().toString().startsWith(k.keyId())), "stored under a derived id");
    }
    b.put(k); // the same key id in another scope is another key slot
    assertThrows(IllegalStateException.class, () -> a.put(k), "but not twice in one scope");
    assertTrue(a.delete(k.keyId()));
    assertTrue(b.get(k.keyId()).isPresent());
  }

  @Test
  void keyDeliveryOverAScopedStoreServesOnlyThatAssetsKeys() {
    FileContentKeyStore shared = new FileContentKeyStore(dir.resolve("delivery"), master);
    ContentKey ofA = ContentKey.generate(random);
    shared.scopedTo("video/A").put(ofA);
    // built per request from the asset in the URL, as the README shows; the authorizer lets everything through
    KeyDelivery forB = KeyDelivery.builder().keyStore(shared.scopedTo("video/B")).authorizer(r -> KeyAuthorizer.Decision.ALLOW).build();
    KeyDelivery forA = KeyDelivery.builder().keyStore(shared.scopedTo("video/A")).authorizer(r -> KeyAuthorizer.Decision.ALLOW).build();
    assertEquals(404, forB.handle(new KeyRequest(ofA.keyId(), "token-for-B", null)).status());
    assertArrayEquals(ofA.copyKeyBytes(), forA.handle(new KeyRequest(ofA.keyId(), "token-for-A", null)).body());
  }

  @Test
  void aScopedKeyDirectoryIsStillKeptApartFromThePublishedSegments() {
    Path published = dir.resolve("public/video-1");
    ContentKeyStore inside = new FileContentKeyStore(published.resolve("keys"), master).scopedTo("video-1");
    HlsPackager p = HlsPackager.builder().keyStore(inside).keyUriTemplate("/k/{keyId}").build();
    assertThrows(IllegalArgumentException.class, () -> p.checkKeysApartFrom(published), "a scope changes ids, not places");
    HlsPackager.builder().keyStore(new FileContentKeyStore(dir.resolve("keys"), master).scopedTo("video-1"))
        .keyUriTemplate("/k/{keyId}").build().checkKeysApartFrom(published);
  }

  @Test
  void scopesAreChecked() {
    FileContentKeyStore s = new FileContentKeyStore(dir.resolve("x"), master);
    // a lone surrogate would otherwise encode as '?' and share the keys of "asset-?"
    for (String bad : new String[] {"", "a\0b", "x".repeat(257), "asset-\uD800"}) {
      assertThrows(IllegalArgumentException.class, () -> s.scopedTo(bad));
    }
    assertThrows(IllegalArgumentException.class, () -> s.scopedTo("ok").get("../k"));
  }
}
