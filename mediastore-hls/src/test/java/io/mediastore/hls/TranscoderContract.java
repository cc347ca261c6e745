package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.hls.spi.Transcoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compatibility kit every {@link Transcoder} passes (published in the test jar): probing, MPEG-TS output at the
 * rung's height with keyframes on the segment grid, progress up to 1.0, cancellation, and NOT_MEDIA for a file
 * that is not audio or video. Test media come from the bundled FFmpeg ({@link Media}).
 */
public abstract class TranscoderContract {
  @TempDir protected Path dir;
  private Transcoder transcoder;

  protected abstract Transcoder newTranscoder() throws Exception;

  protected Transcoder t() throws Exception {
    if (transcoder == null) {
      transcoder = newTranscoder();
    }
    return transcoder;
  }

  @Test
  void probesAndTranscodesWithAlignedKeyframesAndProgress() throws Exception {
    Path src = Media.mp4(dir.resolve("src.mp4"), 5, "480x270");
    MediaInfo info = t().probe(src);
    assertTrue(info.hasVideo() && info.hasAudio());
    assertEquals(480, info.width());
    assertEquals(270, info.height());
    assertEquals(25.0, info.frameRate(), 0.01);
    assertEquals(5.0, info.durationSeconds(), 0.1);
    List<Double> seen = new CopyOnWriteArrayList<>();
    Path out = t().start(new TranscodeRequest(src, dir.resolve("out.ts"), new Rendition("240p", 240, 300_000, 64_000),
        info, 2.0, (f, s) -> seen.add(f))).await();
    MediaInfo made = t().probe(out);
    assertEquals(240, made.height());
    assertEquals(426, made.width());
    assertFalse(seen.isEmpty());
    assertEquals(1.0, seen.get(seen.size() - 1));
    // keyframes exactly on the 2 s grid (start time offset aside)
    String kf = Media.ffprobe("-select_streams", "v:0", "-skip_frame", "nokey", "-show_frames", "-show_entries",
        "frame=pts_time", "-of", "csv=p=0", out.toString());
    List<Double> times = kf.lines().map(String::trim).filter(l -> !l.isEmpty()).map(Double::parseDouble).toList();
    assertEquals(3, times.size(), kf);
    assertEquals(2.0, times.get(1) - times.get(0), 0.05);
    assertEquals(4.0, times.get(2) - times.get(0), 0.05);
  }

  @Test
  void cancellationStopsTheJobAndDeletesTheOutput() throws Exception {
    Path src = Media.mp4(dir.resolve("long.mp4"), 20, "640x360");
    MediaInfo info = t().probe(src);
    Path out = dir.resolve("cancel.ts");
    TranscodeJob job = t().start(new TranscodeRequest(src, out, new Rendition("360p", 360, 800_000, 96_000), info, 2.0, null));
    job.cancel();
    HlsException e = assertThrows(HlsException.class, job::await);
    assertEquals(HlsException.Reason.CANCELLED, e.reason());
    assertTrue(job.isDone());
    assertFalse(Files.exists(out));
  }

  @Test
  void aFileThatIsNotMediaIsNotMedia() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.mp4"), "not a video\n".repeat(100));
    assertEquals(HlsException.Reason.NOT_MEDIA, assertThrows(HlsException.class, () -> t().probe(text)).reason());
  }
}
