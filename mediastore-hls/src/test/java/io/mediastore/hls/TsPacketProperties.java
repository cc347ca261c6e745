package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mediastore.hls.internal.TsPacketHeader;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The TS packet parser and the segmenter: round trips, and hostile input refused with HlsException only. */
class TsPacketProperties {

  @Provide
  Arbitrary<TsPacketHeader> headers() {
    Arbitrary<Integer> afc = Arbitraries.of(1, 2, 3);
    return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.integers().between(0, 0x1FFF),
        Arbitraries.integers().between(0, 3), afc, Arbitraries.integers().between(0, 15), Arbitraries.of(true, false),
        Arbitraries.longs().between(-1, (1L << 33) * 300 - 1))
        .as((tei, pusi, pid, scr, a, cc, rai, pcr) -> new TsPacketHeader(tei, pusi, false, pid, scr, a, cc,
            false, a != 1 && rai, a != 1 ? pcr : -1, 0));
  }

  @Property(tries = 500)
  void headerRoundTrips(@ForAll("headers") TsPacketHeader h, @ForAll @IntRange(min = 1, max = 170) int payloadLen) {
    int len = h.adaptationFieldControl() == 1 ? 184 : h.adaptationFieldControl() == 2 ? 0 : payloadLen;
    byte[] payload = new byte[len];
    for (int i = 0; i < len; i++) {
      payload[i] = (byte) (i * 7);
    }
    byte[] p = new byte[188];
    h.encode(p, 0, payload);
    TsPacketHeader back = TsPacketHeader.parse(p, 0);
    int expectedOffset = h.adaptationFieldControl() == 2 ? -1 : 188 - len;
    assertEquals(new TsPacketHeader(h.transportError(), h.payloadUnitStart(), false, h.pid(), h.scrambling(),
        h.adaptationFieldControl(), h.continuityCounter(), false, h.randomAccess(), h.pcr(), expectedOffset), back);
  }

  @Property(tries = 1000)
  void randomPacketsParseOrFailWithHlsException(@ForAll @Size(188) byte[] p, @ForAll boolean sync) {
    if (sync) {
      p[0] = 0x47;
    }
    try {
      TsPacketHeader h = TsPacketHeader.parse(p, 0);
      assertEquals(TsPacketHeader.pid(p, 0), h.pid());
    } catch (HlsException e) {
      assertEquals(true, e.reason() == HlsException.Reason.SYNC_LOST || e.reason() == HlsException.Reason.MALFORMED_PACKET, e.getMessage());
    }
  }

  @Property(tries = 200)
  void randomBytesAreRefusedWithHlsException(@ForAll @Size(min = 0, max = 3000) byte[] junk, @ForAll boolean syncs) throws Exception {
    if (syncs) {
      for (int i = 0; i < junk.length; i += 188) {
        junk[i] = 0x47;
      }
    }
    Path dir = Files.createTempDirectory("prop");
    try {
      // never a hang: refused (or packaged) well within the time limit
      assertTimeoutPreemptively(Duration.ofSeconds(10),
          () -> HlsPackager.builder().unencrypted().build().packageStream(new ByteArrayInputStream(junk), dir));
    } catch (HlsException expected) {
      // every failure is an HlsException with a reason
    } finally {
      delete(dir);
    }
  }

  private static final byte[] BASE = SyntheticTs.build(80, 25, 20, false, 200, true);

  @Property(tries = 300)
  void mutatedStreamsPackageOrFailWithHlsException(@ForAll @IntRange(min = 1, max = 12) int flips,
      @ForAll("positions") int[] where, @ForAll byte value, @ForAll boolean truncate) throws Exception {
    byte[] ts = BASE.clone();
    for (int i = 0; i < Math.min(flips, where.length); i++) {
      ts[where[i] % ts.length] ^= (byte) (value == 0 ? 1 : value);
    }
    if (truncate) {
      ts = java.util.Arrays.copyOf(ts, where[0] % ts.length);
    }
    Path dir = Files.createTempDirectory("prop");
    try {
      byte[] in = ts;
      PackagedStream ps = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> HlsPackager.builder().unencrypted()
          .targetSegmentDuration(Duration.ofSeconds(1)).build().packageStream(new ByteArrayInputStream(in), dir));
      assertEquals(ps.playlist(), MediaPlaylist.parse(Files.readString(ps.playlistFile())));
    } catch (HlsException expected) {
      // refused with a reason
    } finally {
      delete(dir);
    }
  }

  static void delete(Path dir) throws java.io.IOException {
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Provide
  Arbitrary<int[]> positions() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(1).ofMaxSize(12);
  }
}
