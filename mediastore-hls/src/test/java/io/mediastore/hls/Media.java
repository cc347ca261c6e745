package io.mediastore.hls;

import io.mediastore.hls.internal.FfmpegTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test media made with the bundled ffmpeg: tiny clips, a few seconds, small resolution. */
public final class Media {
  private Media() {}

  public static Path ffmpeg() {
    return tool("ffmpeg");
  }

  public static Path ffprobe() {
    return tool("ffprobe");
  }

  /**
   * The bundled tool. It needs a few system libraries (on Debian: libpulse0); where they are missing the
   * test is skipped, except under CI=true where it fails.
   */
  private static Path tool(String name) {
    try {
      return FfmpegTools.bundled(name);
    } catch (io.mediastore.hls.HlsException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("the bundled " + name + " must run under CI=true: " + e.getMessage(), e);
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "bundled " + name + " unavailable: " + e.getMessage());
      throw e;
    }
  }

  /** Runs a tool to completion; returns stdout; throws with stderr on a non-zero exit. */
  public static String run(List<String> cmd) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Path err = java.nio.file.Files.createTempFile("tool", ".err");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("timeout: " + cmd);
    }
    String e = java.nio.file.Files.readString(err);
    java.nio.file.Files.deleteIfExists(err);
    if (p.exitValue() != 0) {
      throw new IOException("exit " + p.exitValue() + ": " + cmd + "\n" + e);
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  public static String ffmpeg(String... args) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of(ffmpeg().toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"));
    c.addAll(List.of(args));
    return run(c);
  }

  public static String ffprobe(String... args) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of(ffprobe().toString(), "-v", "error"));
    c.addAll(List.of(args));
    return run(c);
  }

  /** H.264 (openh264, no B-frames: openh264 never emits them) + AAC, keyframe every {@code gop} frames at 25 fps. */
  public static Path h264Aac(Path out, int seconds, int gop) throws IOException, InterruptedException {
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
        "-c:v", "libopenh264", "-b:v", "300k", "-g", String.valueOf(gop), "-c:a", "aac", "-b:a", "64k", "-ac", "2",
        "-shortest", "-f", "mpegts", out.toString());
    return out;
  }

  /**
   * The GPL build of the same bundled FFmpeg 7.1 ({@code org.bytedeco:ffmpeg:linux-x86_64-gpl}, test scope), which
   * has libx264: extracted once from its jar into the temporary directory (its executables find their
   * libraries through RUNPATH $ORIGIN). Skipped (failed under CI=true) when it cannot run.
   */
  public static synchronized Path gplFfmpeg() {
    String prefix = "org/bytedeco/ffmpeg/linux-x86_64-gpl/";
    try {
      java.net.URL url = Media.class.getClassLoader().getResource(prefix + "ffmpeg");
      if (url == null) {
        throw new IOException("org.bytedeco:ffmpeg:linux-x86_64-gpl is not on the test class path");
      }
      java.net.JarURLConnection jar = (java.net.JarURLConnection) url.openConnection();
      jar.setUseCaches(false);
      Path dir = Path.of(System.getProperty("java.io.tmpdir"), "mediastore-hls-ffmpeg-gpl-" + jar.getJarFile().size());
      Path exe = dir.resolve("ffmpeg");
      if (!java.nio.file.Files.isExecutable(exe)) {
        Path tmp = java.nio.file.Files.createTempDirectory(dir.getParent(), ".ffmpeg-gpl-");
        try (java.util.jar.JarFile jf = jar.getJarFile()) {
          for (java.util.jar.JarEntry e : (Iterable<java.util.jar.JarEntry>) jf.stream()::iterator) {
            String n = e.getName();
            if (n.startsWith(prefix) && !e.isDirectory() && !n.substring(prefix.length()).startsWith("libjni")) {
              Path f = tmp.resolve(n.substring(prefix.length()));
              try (java.io.InputStream in = jf.getInputStream(e)) {
                java.nio.file.Files.copy(in, f);
              }
              f.toFile().setExecutable(true);
            }
          }
        }
        try {
          java.nio.file.Files.move(tmp, dir, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException raced) {
          // another JVM extracted it first
        }
      }
      run(List.of(exe.toString(), "-hide_banner", "-loglevel", "error", "-h", "encoder=libx264"));
      return exe;
    } catch (IOException | InterruptedException | ClassCastException e) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError("the bundled GPL ffmpeg must run under CI=true: " + e.getMessage(), e);
      }
      org.junit.jupiter.api.Assumptions.assumeTrue(false, "bundled GPL ffmpeg unavailable: " + e.getMessage());
      throw new IllegalStateException(e);
    }
  }

  /**
   * H.264 High profile with B-frames (libx264 from the bundled GPL FFmpeg: 3 B-frames, B-pyramid, closed GOP of
   * {@code gop} frames at 25 fps, no scene-cut keyframes) + AAC.
   */
  public static Path h264Bframes(Path out, int seconds, int gop) throws IOException, InterruptedException {
    List<String> c = new ArrayList<>(List.of(gplFfmpeg().toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=330:sample_rate=48000:duration=" + seconds,
        "-c:v", "libx264", "-profile:v", "high", "-preset", "veryfast", "-bf", "3", "-b_strategy", "0",
        "-g", String.valueOf(gop), "-keyint_min", String.valueOf(gop), "-sc_threshold", "0", "-b:v", "300k",
        "-c:a", "aac", "-b:a", "64k", "-shortest", "-f", "mpegts", out.toString()));
    run(c);
    return out;
  }

  /** MPEG-2 video with two B-frames between references (the bundled encoders' way to get B-frames) + AAC. */
  public static Path bframes(Path out, int seconds) throws IOException, InterruptedException {
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=300:sample_rate=48000:duration=" + seconds,
        "-c:v", "mpeg2video", "-bf", "2", "-g", "25", "-q:v", "6", "-c:a", "aac", "-b:a", "64k",
        "-shortest", "-f", "mpegts", out.toString());
    return out;
  }

  public static Path audioOnly(Path out, int seconds) throws IOException, InterruptedException {
    ffmpeg("-f", "lavfi", "-i", "sine=frequency=500:sample_rate=44100:duration=" + seconds,
        "-c:a", "aac", "-b:a", "64k", "-f", "mpegts", out.toString());
    return out;
  }

  public static Path videoOnly(Path out, int seconds, int gop) throws IOException, InterruptedException {
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=" + seconds,
        "-c:v", "libopenh264", "-b:v", "300k", "-g", String.valueOf(gop), "-f", "mpegts", out.toString());
    return out;
  }

  /** A small MP4 source clip for the transcoder. */
  public static Path mp4(Path out, int seconds, String size) throws IOException, InterruptedException {
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=25:duration=" + seconds,
        "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
        "-c:v", "libopenh264", "-b:v", "500k", "-c:a", "aac", "-shortest", out.toString());
    return out;
  }

  /** Number of decoded video frames, via ffprobe. */
  public static int videoFrames(String input, String... extra) throws IOException, InterruptedException {
    List<String> a = new ArrayList<>(List.of(extra));
    a.addAll(List.of("-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", input));
    return Integer.parseInt(ffprobe(a.toArray(String[]::new)).trim().split("\\s+")[0].replace(",", ""));
  }

  public static double duration(String input, String... extra) throws IOException, InterruptedException {
    List<String> a = new ArrayList<>(List.of(extra));
    a.addAll(List.of("-show_entries", "format=duration", "-of", "csv=p=0", input));
    return Double.parseDouble(ffprobe(a.toArray(String[]::new)).trim());
  }
}
