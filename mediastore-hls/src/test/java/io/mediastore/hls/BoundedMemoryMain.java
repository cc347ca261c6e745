package io.mediastore.hls;

import java.io.InputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Run by {@link BoundedMemoryIT} in a JVM with a small heap: packages and encrypts a long synthetic TS that is
 * generated while it is read (never held in memory), so finishing at all shows the packager streams.
 * Args: OUTPUT_DIR KEY_DIR MEGABYTES. Prints "segments=N bytes=M".
 */
public final class BoundedMemoryMain {
  private BoundedMemoryMain() {}

  public static void main(String[] args) throws Exception {
    long limit = Long.parseLong(args[2]) * 1_000_000L;
    FileContentKeyStore keys = new FileContentKeyStore(Path.of(args[1]), MasterKey.generate(new SecureRandom()));
    PackagedStream ps = HlsPackager.builder().keyStore(keys).keyUriTemplate("/k/{keyId}").keyRotationEvery(5)
        .targetSegmentDuration(Duration.ofSeconds(4)).build().packageStream(new LongTs(limit), Path.of(args[0]));
    System.out.println("segments=" + ps.playlist().segments().size() + " bytes=" + ps.inputBytes());
  }

  /** One-second GOPs of 25 frames (about 1 MB), each with PAT/PMT, until {@code limit} bytes have been produced. */
  static final class LongTs extends InputStream {
    private final long limit;
    private long produced;
    private long second;
    private byte[] gop = new byte[0];
    private int pos;

    LongTs(long limit) {
      this.limit = limit;
    }

    private boolean fill() {
      if (pos < gop.length) {
        return true;
      }
      if (produced >= limit) {
        return false;
      }
      SyntheticTs t = SyntheticTs.builder();
      t.psi(true);
      long base = 126_000 + second * 90_000;
      for (int f = 0; f < 25; f++) {
        t.video(base + f * 3600L, f == 0, f == 0, 0, 38_000 + f * 17);
        if (f % 2 == 0) {
          t.audio(base + f * 3600L);
        }
      }
      second++;
      gop = t.bytes();
      pos = 0;
      return true;
    }

    @Override
    public int read() {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, gop.length - pos);
      System.arraycopy(gop, pos, b, off, n);
      pos += n;
      produced += n;
      return n;
    }
  }
}
