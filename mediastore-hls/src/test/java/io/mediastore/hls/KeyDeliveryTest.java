package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyDeliveryTest {
  @TempDir Path dir;

  @Test
  void authorisesBeforeLookingUpAndAnswersExactly() {
    FileContentKeyStore store = new FileContentKeyStore(dir, MasterKey.generate(new SecureRandom()));
    ContentKey k = ContentKey.generate(new SecureRandom());
    store.put(k);
    int[] calls = {0};
    KeyDelivery d = KeyDelivery.builder().keyStore(store).allowAnyOrigin().authorizer(r -> {
      calls[0]++;
      if ("boom".equals(r.token())) {
        throw new IllegalStateException("token service down");
      }
      return "ok".equals(r.token()) ? KeyAuthorizer.Decision.ALLOW : KeyAuthorizer.Decision.FORBIDDEN;
    }).build();
    KeyResponse ok = d.handle(new KeyRequest(k.keyId(), "ok", "https://a.example"));
    assertEquals(200, ok.status());
    assertArrayEquals(k.copyKeyBytes(), ok.body());
    assertEquals("*", ok.headers().get("Access-Control-Allow-Origin"));
    assertEquals("no-store", ok.headers().get("Cache-Control"));
    assertFalse(ok.toString().contains(java.util.HexFormat.of().formatHex(k.copyKeyBytes())));
    // an unknown id is not revealed to a refused caller: 403 either way
    assertEquals(403, d.handle(new KeyRequest("doesnotexist", "bad", null)).status());
    assertEquals(403, d.handle(new KeyRequest(k.keyId(), "bad", null)).status());
    assertEquals(403, d.handle(new KeyRequest(k.keyId(), "boom", null)).status(), "a failing authorizer refuses");
    assertEquals(0, d.handle(new KeyRequest(k.keyId(), "boom", null)).body().length);
    // a malformed id is no key's id: 404 at once, without asking the authorizer (a format says nothing about keys)
    assertEquals(404, d.handle(new KeyRequest("../../etc/passwd", "ok", null)).status());
    assertEquals(5, calls[0], "asked anew for every well-formed request");
    assertFalse(new KeyRequest("x", "secret-token", null).toString().contains("secret-token"));
  }

  @Test
  void aKeyStoreFailureIsA500WithoutBody() throws Exception {
    FileContentKeyStore store = new FileContentKeyStore(dir, MasterKey.generate(new SecureRandom()));
    ContentKey k = ContentKey.generate(new SecureRandom());
    store.put(k);
    // the same directory under another master key: every key fails to unwrap
    FileContentKeyStore wrongMaster = new FileContentKeyStore(dir, MasterKey.generate(new SecureRandom()));
    KeyDelivery d = KeyDelivery.builder().keyStore(wrongMaster).authorizer(r -> KeyAuthorizer.Decision.ALLOW).build();
    KeyResponse r = d.handle(new KeyRequest(k.keyId(), "ok", null));
    assertEquals(500, r.status());
    assertEquals(0, r.body().length);
    assertEquals("no-store", r.headers().get("Cache-Control"));
  }

  @Test
  void aMalformedKeyIdIsRefusedBeforeTheAuthorizerOrTheLogSeesIt() {
    FileContentKeyStore store = new FileContentKeyStore(dir, MasterKey.generate(new SecureRandom()));
    java.util.List<String> asked = new java.util.ArrayList<>();
    KeyDelivery d = KeyDelivery.builder().keyStore(store).authorizer(r -> {
      asked.add(r.keyId());
      throw new IllegalStateException("authorizer down"); // its failure is logged with the key id
    }).build();
    for (String forged : new String[] {"x\n[main] INFO io.mediastore.Audit - admin logged in", "a/b", "", "k".repeat(65)}) {
      KeyResponse r = d.handle(new KeyRequest(forged, "token", null));
      assertEquals(404, r.status(), forged);
      assertEquals(0, r.body().length);
    }
    assertEquals(java.util.List.of(), asked, "no malformed id reached the authorizer, nor its failure's log line");
    assertEquals(403, d.handle(new KeyRequest("well-formed_id", "token", null)).status(), "a failing authorizer refuses");
  }

  @Test
  void anAuthorizerIsRequired() {
    FileContentKeyStore store = new FileContentKeyStore(dir, MasterKey.generate(new SecureRandom()));
    assertThrows(IllegalStateException.class, () -> KeyDelivery.builder().keyStore(store).build());
    assertThrows(IllegalArgumentException.class, () -> KeyDelivery.builder().allowOrigin("*"));
  }
}
