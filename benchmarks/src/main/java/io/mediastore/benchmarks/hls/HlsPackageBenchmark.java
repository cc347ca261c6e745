package io.mediastore.benchmarks.hls;

import io.mediastore.hls.FileContentKeyStore;
import io.mediastore.hls.HlsPackager;
import io.mediastore.hls.MasterKey;
import io.mediastore.hls.PackagedStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Package and AES-128 encrypt one 250 MB TS into 6 s HLS segments. Ours: {@link HlsPackager} on two
 * encryption threads (the default on this 2-core machine) and on one. Peer: the bundled FFmpeg 7.1,
 * {@code -c copy -f hls -hls_time 6 -hls_key_info_file}, run as a process. Limits: a plain JCE loop that
 * reads the file, AES-128-CBC encrypts it and writes it, on one thread and on two (halves in parallel).
 * Time per operation; each operation processes the whole file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HlsPackageBenchmark {
  private Path input;
  private Path out;
  private Path keyInfo;
  private int run;
  private final SecureRandom random = new SecureRandom();
  private final MasterKey master = MasterKey.generate(random);

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    input = HlsInput.input();
    Path root = HlsInput.outRoot();
    byte[] key = new byte[16];
    random.nextBytes(key);
    Path keyFile = root.resolve("ffmpeg.key");
    Files.write(keyFile, key);
    // line 1: key URI in the playlist, line 2: key file, line 3: IV
    keyInfo = root.resolve("ffmpeg.keyinfo");
    byte[] iv = new byte[16];
    random.nextBytes(iv);
    Files.writeString(keyInfo, "https://keys.example/k\n" + keyFile + "\n" + HexFormat.of().formatHex(iv) + "\n");
    // Warm the JCE's AES-CBC path (until C2 compiles it with the AES-NI intrinsic) so the limit is
    // what a warm loop can do; with 1 MiB calls alone it stays interpreted for many iterations.
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
    byte[] buf = new byte[4096];
    byte[] enc = new byte[4096 + 16];
    for (int i = 0; i < 200_000; i++) {
      c.update(buf, 0, buf.length, enc, 0);
    }
  }

  @Setup(Level.Invocation)
  public void freshOutput() throws IOException {
    if (out != null) {
      HlsInput.delete(out);
    }
    out = HlsInput.outRoot().resolve("run-" + (run++));
    Files.createDirectories(out);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    HlsInput.delete(HlsInput.outRoot());
  }

  private PackagedStream ours(int threads) {
    HlsPackager p = HlsPackager.builder().keyStore(new FileContentKeyStore(out.resolve("keys"), master))
        .keyUriTemplate("https://keys.example/{keyId}").targetSegmentDuration(Duration.ofSeconds(6))
        .encryptionThreads(threads).build();
    return p.packageFile(input, out.resolve("hls"));
  }

  @Benchmark
  public PackagedStream packageEncrypt() {
    return ours(2);
  }

  @Benchmark
  public PackagedStream packageEncryptOneThread() {
    return ours(1);
  }

  @Benchmark
  public int peerFfmpegHlsEncrypt() throws Exception {
    Process p = new ProcessBuilder(List.of(HlsInput.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
        "-i", input.toString(), "-c", "copy", "-f", "hls", "-hls_time", "6", "-hls_playlist_type", "vod",
        "-hls_key_info_file", keyInfo.toString(), "-hls_segment_filename", out.resolve("s%05d.ts").toString(),
        out.resolve("index.m3u8").toString())).inheritIO().start();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException("ffmpeg exited with " + code);
    }
    return code;
  }

  @Benchmark
  public long limitJceReadEncryptWrite() throws Exception {
    return jceLoop(input, out.resolve("all.enc"), 0, Files.size(input));
  }

  @Benchmark
  public long limitJceReadEncryptWriteTwoThreads() throws Exception {
    long size = Files.size(input);
    long half = size / 2 / 188 * 188;
    Thread[] t = new Thread[2];
    long[] res = new long[2];
    Exception[] err = new Exception[1];
    for (int i = 0; i < 2; i++) {
      int idx = i;
      t[i] = new Thread(() -> {
        try {
          res[idx] = jceLoop(input, out.resolve("half" + idx + ".enc"), idx == 0 ? 0 : half, idx == 0 ? half : size);
        } catch (Exception e) {
          err[0] = e;
        }
      });
      t[i].start();
    }
    for (Thread x : t) {
      x.join();
    }
    if (err[0] != null) {
      throw err[0];
    }
    return res[0] + res[1];
  }

  /** Read 1 MiB, encrypt it, write it; no parsing, one CBC chain (from {@code from} to {@code to}). */
  static long jceLoop(Path in, Path outFile, long from, long to) throws IOException, GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(new byte[16]));
    byte[] buf = new byte[1 << 20];
    byte[] enc = new byte[(1 << 20) + 32];
    long written = 0;
    try (FileChannel r = FileChannel.open(in, StandardOpenOption.READ);
        FileChannel w = FileChannel.open(outFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      long pos = from;
      while (pos < to) {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, to - pos));
        int n = r.read(bb, pos);
        if (n <= 0) {
          break;
        }
        pos += n;
        // encrypted in 16 KiB calls like the packager, so a cold JVM reaches the AES-NI CBC intrinsic as early
        int m = 0;
        for (int o = 0; o < n; o += 16 * 1024) {
          m += c.update(buf, o, Math.min(16 * 1024, n - o), enc, m);
        }
        written += w.write(ByteBuffer.wrap(enc, 0, m));
      }
      int m = c.doFinal(enc, 0);
      written += w.write(ByteBuffer.wrap(enc, 0, m));
    }
    return written;
  }
}
