package io.mediastore.samples.e2e;

import io.mediastore.hls.HlsException;
import io.mediastore.hls.internal.FfmpegTools;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** A short test clip made with the ffmpeg bundled in org.bytedeco:ffmpeg. */
final class TestMedia {
  private TestMedia() {}

  private static Path ffmpeg() {
    try {
      return FfmpegTools.bundled("ffmpeg");
    } catch (HlsException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("the bundled ffmpeg must run under CI=true: " + e.getMessage(), e);
      }
      Assumptions.abort("bundled ffmpeg unavailable: " + e.getMessage());
      throw e;
    }
  }

  /** An H.264 + AAC MP4 of {@code seconds} seconds, 320x240 at 25 fps, keyframe every second. */
  static Path clip(Path out, int seconds, int toneHz) throws IOException, InterruptedException {
    List<String> cmd = List.of(ffmpeg().toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=" + toneHz + ":sample_rate=48000:duration=" + seconds,
        "-c:v", "libopenh264", "-b:v", "400k", "-g", "25", "-c:a", "aac", "-b:a", "64k", "-ac", "2",
        "-shortest", "-movflags", "+faststart", out.toString());
    Path err = Files.createTempFile(out.getParent(), "ffmpeg", ".err");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectError(err.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("ffmpeg timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException("ffmpeg exit " + p.exitValue() + ": " + Files.readString(err));
    }
    return out;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
