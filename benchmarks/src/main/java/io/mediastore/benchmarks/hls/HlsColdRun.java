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
 *   <li>{@code ... HlsColdRun interleaved [ROUNDS]}: warm, in this JVM, the JMH benchmark's operations in
 *       interleaved rounds (ours, JCE loop on one and on two threads, ffmpeg), so that load from other processes on
 *       a shared machine falls on all of them alike; prints medians and the ratios per round.</li>
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
    if (args.length >= 1 && args[0].equals("interleaved")) {
      interleaved(args.length > 1 ? Integer.parseInt(args[1]) : 9);
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

  private interface Op {
    void run() throws Exception;
  }

  private static void interleaved(int rounds) throws Exception {
    HlsPackageBenchmark b = new HlsPackageBenchmark();
    b.setUp();
    String[] names = {"ours (2 threads)", "ours (1 thread)", "JCE loop, 1 thread", "JCE loop, 2 threads", "ffmpeg hls encrypt"};
    Op[] ops = {b::packageEncrypt, b::packageEncryptOneThread, b::limitJceReadEncryptWrite, b::limitJceReadEncryptWriteTwoThreads,
        b::peerFfmpegHlsEncrypt};
    long[][] ms = new long[ops.length][rounds];
    for (int w = 0; w < 3; w++) {
      for (int i = 0; i < ops.length - 1; i++) {
        b.freshOutput();
        ops[i].run();
      }
    }
    double[][] ratio = new double[3][rounds];
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < ops.length; i++) {
        b.freshOutput();
        long t0 = System.nanoTime();
        ops[i].run();
        ms[i][r] = (System.nanoTime() - t0) / 1_000_000;
      }
      ratio[0][r] = (double) ms[4][r] / ms[0][r];
      ratio[1][r] = (double) ms[2][r] / ms[0][r];
      ratio[2][r] = (double) ms[3][r] / ms[0][r];
    }
    b.tearDown();
    double mb = Files.size(HlsInput.input()) / 1e6;
    System.out.printf(Locale.ROOT, "warm, interleaved, %d rounds, input %.1f MB (median ms, MB/s, all rounds)%n", rounds, mb);
    for (int i = 0; i < ops.length; i++) {
      double m = median(ms[i]);
      System.out.printf(Locale.ROOT, "  %-22s %7.0f ms %6.0f MB/s  %s%n", names[i], m, mb / m * 1000, Arrays.toString(ms[i]));
    }
    System.out.printf(Locale.ROOT, "  per-round ratio medians: ours(2) vs ffmpeg %.2fx, vs JCE 1 thread %.0f%%, vs JCE 2 threads %.0f%%%n",
        medianD(ratio[0]), medianD(ratio[1]) * 100, medianD(ratio[2]) * 100);
  }

  private static double medianD(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
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
