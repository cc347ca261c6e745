package io.mediastore.benchmarks.hls;

import io.mediastore.hls.FileContentKeyStore;
import io.mediastore.hls.HlsPackager;
import io.mediastore.hls.MasterKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * One cold run in a fresh JVM, for the ratios "with JVM start-up":
 * {@code java -cp benchmarks.jar io.mediastore.benchmarks.hls.HlsColdRun ours|jce INPUT OUTDIR}.
 */
public final class HlsColdRun {
  private HlsColdRun() {}

  public static void main(String[] args) throws Exception {
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
}
