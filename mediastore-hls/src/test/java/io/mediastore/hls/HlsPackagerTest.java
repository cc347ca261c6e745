package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HlsPackagerTest {
  @TempDir Path dir;

  @Test
  void theBuilderRefusesUnsafeOrInconsistentSettings() {
    FileContentKeyStore store = new FileContentKeyStore(dir, MasterKey.generate(new SecureRandom()));
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().build(), "no key store and not explicitly clear");
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().keyStore(store).build(), "no key URI template");
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().keyStore(store).keyUriTemplate("https://k/").build());
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().keyStore(store).keyUriTemplate("https://k/\"{keyId}").build());
    assertThrows(IllegalStateException.class, () -> HlsPackager.builder().keyStore(store).unencrypted().build());
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().unencrypted().segmentNamePattern("../s%d.ts").build());
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().unencrypted().segmentNamePattern("same.ts").build());
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().unencrypted().targetSegmentDuration(Duration.ZERO).build());
    assertThrows(IllegalArgumentException.class, () -> HlsPackager.builder().keyRotationEvery(-1));
  }

  @Test
  void encryptedOutputOnOneOrManyThreadsIsConsistent() throws Exception {
    byte[] ts = SyntheticTs.build(300, 25, 25, true, 0, true);
    FileContentKeyStore store = new FileContentKeyStore(dir.resolve("k"), MasterKey.generate(new SecureRandom()));
    for (int threads : List.of(1, 2, 3)) {
      PackagedStream ps = HlsPackager.builder().keyStore(store).keyUriTemplate("/k/{keyId}").encryptionThreads(threads)
          .targetSegmentDuration(Duration.ofSeconds(1)).keyRotationEvery(3).build()
          .packageStream(new java.io.ByteArrayInputStream(ts), dir.resolve("t" + threads));
      assertEquals(12, ps.playlist().segments().size());
      assertEquals(4, ps.keyIds().size());
      PackagedStream clear = HlsPackager.builder().unencrypted().targetSegmentDuration(Duration.ofSeconds(1)).build()
          .packageStream(new java.io.ByteArrayInputStream(ts), dir.resolve("c" + threads));
      new HlsPackagerIT().assertDecryptsToClear(ps, clear, store);
    }
  }

  @Test
  void renditionLadderNeverUpscales() {
    RenditionLadder l = RenditionLadder.standard();
    assertEquals(List.of("720p", "480p", "240p"), l.select(new MediaInfo(10, true, 1280, 720, 25, true)).stream().map(Rendition::name).toList());
    assertEquals(List.of("480p", "240p"), l.select(new MediaInfo(10, true, 1000, 700, 25, true)).stream().map(Rendition::name).toList());
    List<Rendition> tiny = l.select(new MediaInfo(10, true, 160, 121, 25, true));
    assertEquals(1, tiny.size());
    assertEquals(120, tiny.get(0).height());
  }

  @Test
  void aPublisherRefusesKeysInsideThePublishedTree() {
    FileContentKeyStore inside = new FileContentKeyStore(dir.resolve("public/keys"), MasterKey.generate(new SecureRandom()));
    HlsPackager p = HlsPackager.builder().keyStore(inside).keyUriTemplate("/k/{keyId}").build();
    VodPublisher pub = VodPublisher.create(new FfmpegTranscoder(), p, RenditionLadder.standard());
    // refused before anything is probed, transcoded or written
    assertThrows(IllegalArgumentException.class, () -> pub.publish(dir.resolve("missing.mp4"), dir.resolve("public"), null));
  }

  /** DESIGN.md: classes a container should build carry an @Inject constructor, and @Singleton where that is true. */
  @Test
  void containerBuiltClassesCarryJakartaInject() throws Exception {
    for (Class<?> c : List.of(FileContentKeyStore.class, JdbcContentKeyStore.class, FfmpegTranscoder.class, VodPublisher.class)) {
      assertEquals(true, c.isAnnotationPresent(jakarta.inject.Singleton.class), c + " is @Singleton");
      long injectable = java.util.Arrays.stream(c.getConstructors())
          .filter(k -> k.isAnnotationPresent(jakarta.inject.Inject.class)).count();
      assertEquals(1, injectable, c + " has exactly one @Inject constructor");
    }
    assertEquals(List.of(java.nio.file.Path.class, MasterKey.class),
        List.of(FileContentKeyStore.class.getConstructor(java.nio.file.Path.class, MasterKey.class).getParameterTypes()));
    assertEquals(List.of(javax.sql.DataSource.class, MasterKey.class),
        List.of(JdbcContentKeyStore.class.getConstructor(javax.sql.DataSource.class, MasterKey.class).getParameterTypes()));
  }
}
