package io.mediastore.benchmarks.hls;

import io.mediastore.hls.internal.FfmpegTools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** The shared benchmark input, generated once with the bundled ffmpeg (not committed). */
final class HlsInput {
  static final long MIN_BYTES = 200L * 1000 * 1000;

  private HlsInput() {}

  static Path dir() {
    return Path.of(System.getProperty("hls.bench.dir", "/tmp/mediastore-hls-bench"));
  }

  /** Where outputs go: tmpfs when there is one, so disk write-back does not add noise to either side. */
  static Path outRoot() throws IOException {
    Path shm = Path.of("/dev/shm");
    Path root = Files.isDirectory(shm) && Files.isWritable(shm) ? shm.resolve("mediastore-hls-bench-out") : dir().resolve("out");
    Files.createDirectories(root);
    return root;
  }

  /** 720p H.264 (openh264, 25 fps, keyframe every 2 s) + AAC: a 20 s clip looped 11 times, about 250 MB. */
  static synchronized Path input() throws IOException, InterruptedException {
    Path in = dir().resolve("input.ts");
    if (Files.isRegularFile(in) && Files.size(in) >= MIN_BYTES) {
      return in;
    }
    Files.createDirectories(dir());
    Path clip = dir().resolve("clip.ts");
    run(List.of(ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
        "testsrc2=size=1280x720:rate=25:duration=20", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=20",
        "-c:v", "libopenh264", "-b:v", "40M", "-g", "50", "-c:a", "aac", "-b:a", "128k", "-shortest", "-f", "mpegts", clip.toString()));
    run(List.of(ffmpeg(), "-hide_banner", "-loglevel", "error", "-y", "-stream_loop", "10", "-i", clip.toString(),
        "-c", "copy", "-f", "mpegts", in.toString()));
    if (Files.size(in) < MIN_BYTES) {
      throw new IllegalStateException("benchmark input is only " + Files.size(in) + " bytes");
    }
    return in;
  }

  static String ffmpeg() {
    return FfmpegTools.bundled("ffmpeg").toString();
  }

  static void run(List<String> cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      throw new IOException("exit " + p.exitValue() + ": " + cmd);
    }
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
