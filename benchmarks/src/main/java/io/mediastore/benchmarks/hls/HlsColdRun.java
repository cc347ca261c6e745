package io.mediastore.benchmarks.hls;

import io.mediastore.hls.FileContentKeyStore;
import io.mediastore.hls.HlsPackager;
import io.mediastore.hls.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The ratios "with JVM start-up": every run is a fresh process, timed from outside as wall-clock time.
 *
 * <ul>
 *   <li>{@code java -cp benchmarks.jar io.mediastore.benchmarks.hls.HlsColdRun compare [RUNS]}: generates the
 *       benchmark input if needed, then RUNS times (default 5), interleaved, runs the bundled ffmpeg
 *       {@code -c copy -f hls -hls_key_info_file}, a fresh JVM packaging with mediastore-hls ({@code ours}), and a fresh
 *       JVM running the plain JCE read-encrypt-write loop ({@code jce}); prints each median and the ratios.</li>
 *   <li>{@code ... HlsColdRun ours|jce INPUT OUTDIR}: one cold run (what {@code compare} starts).</li>
 * </ul>
 */
public final class HlsColdRun {
  private HlsColdRun() {}

  public static void main(String[] args) throws Exception {
    if (args.length >= 1 && args[0].equals("compare")) {
      compare(args.length > 1 ? Integer.parseInt(args[1]) : 5);
      return;
    }
    if (args.length != 3) {
      System.err.println("usage: HlsColdRun compare [RUNS] | HlsColdRun ours|jce INPUT OUTDIR");
      System.exit(2);
    }
    Path in = Path.of(args[1]);
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    if (args[0].equals("ours")) {
      HlsPackager.builder().keyStore(new FileContentKeyStore(out.resolve("keys"), MasterKey.generate(new SecureRandom())))
          .keyUriTemplate("https://keys.example/{keyId}").targetSegmentDuration(Duration.ofSeconds(6)).build()
          .packageFile(in, out.resolve("hls"));
    } else {
      HlsPackageBenchmark.jceLoop(in, out.resolve("all.enc"), 0, Files.size(in));
    }
  }

  private static void compare(int runs) throws Exception {
    Path in = HlsInput.input();
    Path root = HlsInput.outRoot().resolve("cold");
    HlsInput.delete(root);
    Files.createDirectories(root);
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[16];
    byte[] iv = new byte[16];
    random.nextBytes(key);
    random.nextBytes(iv);
    Path keyFile = Files.write(root.resolve("ffmpeg.key"), key);
    Path keyInfo = Files.writeString(root.resolve("ffmpeg.keyinfo"),
        "https://keys.example/k\n" + keyFile + "\n" + HexFormat.of().formatHex(iv) + "\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    long[] ffmpeg = new long[runs];
    long[] ours = new long[runs];
    long[] jce = new long[runs];
    for (int i = 0; i < runs; i++) {
      Path o = Files.createDirectories(root.resolve("ffmpeg-" + i));
      ffmpeg[i] = time(List.of(HlsInput.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-i", in.toString(),
          "-c", "copy", "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod", "-hls_key_info_file", keyInfo.toString(),
          "-hls_segment_filename", o.resolve("s%05d.ts").toString(), o.resolve("index.m3u8").toString()));
      HlsInput.delete(o);
      o = root.resolve("ours-" + i);
      ours[i] = time(List.of(java, "-cp", cp, HlsColdRun.class.getName(), "ours", in.toString(), o.toString()));
      HlsInput.delete(o);
      o = root.resolve("jce-" + i);
      jce[i] = time(List.of(java, "-cp", cp, HlsColdRun.class.getName(), "jce", in.toString(), o.toString()));
      HlsInput.delete(o);
    }
    HlsInput.delete(root);
    double mb = Files.size(in) / 1e6;
    double f = median(ffmpeg);
    double u = median(ours);
    double j = median(jce);
    System.out.printf(Locale.ROOT, "cold runs (fresh process each, median of %d), input %.1f MB%n", runs, mb);
    System.out.printf(Locale.ROOT, "  ffmpeg -c copy -f hls -hls_key_info_file : %7.0f ms  %6.0f MB/s  %s%n", f, mb / f * 1000, Arrays.toString(ffmpeg));
    System.out.printf(Locale.ROOT, "  java HlsColdRun ours (mediastore-hls)     : %7.0f ms  %6.0f MB/s  %s%n", u, mb / u * 1000, Arrays.toString(ours));
    System.out.printf(Locale.ROOT, "  java HlsColdRun jce (read-encrypt-write)  : %7.0f ms  %6.0f MB/s  %s%n", j, mb / j * 1000, Arrays.toString(jce));
    System.out.printf(Locale.ROOT, "  ours vs ffmpeg: %.2fx   ours vs JCE loop: %.0f%%%n", f / u, j / u * 100);
  }

  private static long time(List<String> cmd) throws Exception {
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(new ArrayList<>(cmd)).inheritIO().start();
    int code = p.waitFor();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (code != 0) {
      throw new IllegalStateException("exit " + code + ": " + cmd);
    }
    return ms;
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
  }
}
