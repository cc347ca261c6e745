package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The segmenter on synthetic streams, against a reference model of where cuts belong. */
class SegmenterTest {
  @TempDir Path dir;

  static PackagedStream clear(byte[] ts, Path out, double target) {
    return HlsPackager.builder().unencrypted().targetSegmentDuration(Duration.ofMillis((long) (target * 1000)))
        .build().packageStream(new ByteArrayInputStream(ts), out);
  }

  /** Expected segment start frames: the first keyframe at or after target seconds since the last cut. */
  static List<Integer> expectedStarts(List<Integer> keyframes, int fps, double target) {
    List<Integer> starts = new ArrayList<>(List.of(0));
    for (int k : keyframes) {
      int last = starts.get(starts.size() - 1);
      if (k != last && (k - last) * (90_000 / fps) + 900 >= Math.round(target * 90_000)) {
        starts.add(k);
      }
    }
    return starts;
  }

  /** The packets of a stream without PSI (PID 0 and the PMT), for comparing content. */
  static byte[] withoutPsi(byte[] ts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (int i = 0; i + 188 <= ts.length; i += 188) {
      int pid = ((ts[i + 1] & 0x1F) << 8) | (ts[i + 2] & 0xFF);
      if (pid != 0 && pid != SyntheticTs.PMT) {
        o.write(ts, i, 188);
      }
    }
    return o.toByteArray();
  }

  static void check(byte[] ts, List<Integer> keyframes, int frames, int fps, double target, Path out) throws Exception {
    PackagedStream ps = clear(ts, out, target);
    List<Integer> starts = expectedStarts(keyframes, fps, target);
    List<MediaPlaylist.Segment> segs = ps.playlist().segments();
    assertEquals(starts.size(), segs.size(), ps.playlist().render());
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < segs.size(); i++) {
      int end = i + 1 < starts.size() ? starts.get(i + 1) : frames;
      assertEquals((end - starts.get(i)) * (90_000 / fps) / 90_000.0, segs.get(i).duration(), 1e-6, "segment " + i);
      byte[] seg = Files.readAllBytes(out.resolve(segs.get(i).uri()));
      HlsPackagerIT.assertTs(seg);
      joined.writeBytes(seg);
    }
    // nothing lost, nothing reordered: the media packets are exactly the input's
    assertArrayEquals(withoutPsi(ts), withoutPsi(joined.toByteArray()));
  }

  @Test
  void cutsAtRandomAccessIndicators() throws Exception {
    SyntheticTs.builder();
    byte[] ts = SyntheticTs.build(250, 25, 25, true, 0, true);
    check(ts, keys(250, 25), 250, 25, 2.0, dir.resolve("a"));
  }

  @Test
  void findsIdrWithoutRandomAccessIndicatorEvenBehindALargeSei() throws Exception {
    // 600 bytes of SEI push the IDR slice NAL into the PES's fourth packet
    byte[] ts = SyntheticTs.build(200, 25, 20, false, 600, true);
    check(ts, keys(200, 20), 200, 25, 1.5, dir.resolve("b"));
  }

  @Test
  void videoOnlyStreamAndOddGop() throws Exception {
    byte[] ts = SyntheticTs.build(130, 25, 13, false, 0, false);
    check(ts, keys(130, 13), 130, 25, 1.0, dir.resolve("c"));
  }

  @Test
  void anInputStreamThatReturnsFewBytesAtATime() throws Exception {
    byte[] ts = SyntheticTs.build(120, 25, 25, true, 0, true);
    PackagedStream ps = HlsPackager.builder().unencrypted().targetSegmentDuration(Duration.ofSeconds(1)).build()
        .packageStream(new java.io.FilterInputStream(new ByteArrayInputStream(ts)) {
          @Override
          public int read(byte[] b, int off, int len) throws java.io.IOException {
            return super.read(b, off, Math.min(len, 77));
          }
        }, dir.resolve("d"));
    assertEquals(5, ps.playlist().segments().size());
  }

  @Test
  void missingPatIsNamed() {
    byte[] ts = SyntheticTs.build(60, 25, 25, true, 0, false);
    ByteArrayOutputStream noPat = new ByteArrayOutputStream();
    for (int i = 0; i < ts.length; i += 188) {
      if ((((ts[i + 1] & 0x1F) << 8) | (ts[i + 2] & 0xFF)) != 0) {
        noPat.write(ts, i, 188);
      }
    }
    HlsException e = assertThrows(HlsException.class, () -> clear(noPat.toByteArray(), dir.resolve("e"), 2));
    assertEquals(HlsException.Reason.MISSING_PAT, e.reason());
  }

  @Test
  void corruptPsiCrcIsNamed() {
    byte[] ts = SyntheticTs.build(60, 25, 25, true, 0, false);
    ts[188 + 10] ^= 0x01; // inside the first PMT section
    HlsException e = assertThrows(HlsException.class, () -> clear(ts, dir.resolve("f"), 2));
    assertEquals(HlsException.Reason.MALFORMED_PSI, e.reason());
  }

  static List<Integer> keys(int frames, int gop) {
    List<Integer> k = new ArrayList<>();
    for (int f = 0; f < frames; f += gop) {
      k.add(f);
    }
    return k;
  }
}
