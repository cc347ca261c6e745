package io.mediastore.hls.internal;

import io.mediastore.hls.HlsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Writes (and AES-128-CBC encrypts) segments on worker threads: segment {@code i} goes to worker
 * {@code i % threads}, so each segment's CBC chain stays on one thread while independent segments are
 * encrypted in parallel. Big buffers are encrypted per call; each worker reuses one Cipher and one output buffer.
 *
 * <p>Two modes. Streaming: the workers encrypt the parser's chunks, so the parser can only run as far ahead
 * as the chunk pool allows. Re-reading (when the input is a file): the parser hands over only byte ranges of
 * the file and the continuity-counter bytes it rewrote; each worker reads its ranges itself with positional
 * reads, so the parser runs ahead (up to {@code readAheadBytes}) with a small pool and every worker stays busy
 * on its own segment, its data hot in cache as in a plain read-encrypt-write loop. Both give the same bytes.
 */
public final class SegmentWriters implements TsSegmenter.Sink, AutoCloseable {

  /** Where segment {@code index} goes and how it is encrypted ({@code key} null for clear output). */
  public record Target(Path file, byte[] key, byte[] iv) {}

  private static final Object STOP = new Object();
  private static final int SLICE = 16 * 1024;
  private final IntFunction<Target> targets;
  private final Worker[] workers;
  private final Path source;
  private final Semaphore readAhead;
  private final int readAheadUnits;
  // rewritten bytes not yet attached to a range (re-reading mode; parser thread only)
  private long[] patchPos = new long[64];
  private byte[] patchVal = new byte[64];
  private int patches;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ConcurrentHashMap<Integer, Long> sizes = new ConcurrentHashMap<>();
  private Worker current;

  /** Streaming mode. {@code queueCapacity}: operations queued per worker; the chunk pool is what bounds memory. */
  public SegmentWriters(int threads, int chunkSize, int queueCapacity, IntFunction<Target> targets) {
    this(threads, chunkSize, queueCapacity, targets, null, 0);
  }

  /**
   * Re-reading mode when {@code source} is the file the parser reads (null: streaming mode); at most
   * {@code readAheadBytes} of ranges are queued and not yet written.
   */
  public SegmentWriters(int threads, int chunkSize, int queueCapacity, IntFunction<Target> targets, Path source, long readAheadBytes) {
    this.targets = targets;
    this.source = source;
    this.readAheadUnits = (int) Math.max(2 * ((chunkSize + 4095) / 4096), Math.min(Integer.MAX_VALUE / 2, readAheadBytes / 4096));
    this.readAhead = new Semaphore(readAheadUnits);
    this.workers = new Worker[threads];
    for (int i = 0; i < threads; i++) {
      workers[i] = new Worker(chunkSize + 64, source == null ? queueCapacity : Integer.MAX_VALUE, source == null ? 0 : chunkSize);
      Thread t = new Thread(workers[i], "mediastore-hls-writer-" + i);
      t.setDaemon(true);
      workers[i].thread = t;
      t.start();
    }
  }

  @Override
  public void startSegment(int index, byte[] psi) {
    current = workers[index % workers.length];
    current.put(new Start(index, targets.apply(index), psi));
  }

  @Override
  public void data(Chunk chunk, int off, int len) {
    if (source == null) {
      current.put(new Data(chunk, off, len));
      return;
    }
    long start = chunk.position() + off;
    long end = start + len;
    chunk.release();
    int n = 0;
    int keep = 0;
    for (int i = 0; i < patches; i++) {
      if (patchPos[i] >= start && patchPos[i] < end) {
        n++;
      }
    }
    int[] at = new int[n];
    byte[] val = new byte[n];
    n = 0;
    for (int i = 0; i < patches; i++) {
      if (patchPos[i] >= start && patchPos[i] < end) {
        at[n] = (int) (patchPos[i] - start);
        val[n++] = patchVal[i];
      } else if (patchPos[i] >= end) {
        patchPos[keep] = patchPos[i];
        patchVal[keep++] = patchVal[i];
      }
    }
    patches = keep;
    int units = (len + 4095) / 4096;
    try {
      readAhead.acquire(Math.min(units, readAheadUnits));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HlsException(HlsException.Reason.IO, "interrupted while queueing a segment write", e);
    }
    current.put(new Range(start, len, at, val, Math.min(units, readAheadUnits)));
  }

  @Override
  public void patched(long position, byte value) {
    if (source == null) {
      return;
    }
    if (patches == patchPos.length) {
      patchPos = Arrays.copyOf(patchPos, patches * 2);
      patchVal = Arrays.copyOf(patchVal, patches * 2);
    }
    patchPos[patches] = position;
    patchVal[patches++] = value;
  }

  @Override
  public void endSegment(int index) {
    current.put(new End(index));
  }

  @Override
  public void checkHealthy() {
    Throwable t = failure.get();
    if (t != null) {
      throw t instanceof HlsException h ? h : new HlsException(HlsException.Reason.IO, "writing a segment failed", t);
    }
  }

  /** Waits for every queued write; returns the byte size of each segment by index. */
  public long[] finish(int segmentCount) throws InterruptedException {
    stopAll();
    checkHealthy();
    long[] out = new long[segmentCount];
    for (int i = 0; i < segmentCount; i++) {
      Long s = sizes.get(i);
      if (s == null) {
        throw new IllegalStateException("segment " + i + " was not written");
      }
      out[i] = s;
    }
    return out;
  }

  private void stopAll() throws InterruptedException {
    for (Worker w : workers) {
      if (w.thread.isAlive()) {
        w.put(STOP);
      }
    }
    for (Worker w : workers) {
      w.thread.join();
    }
  }

  @Override
  public void close() {
    try {
      stopAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Start(int index, Target target, byte[] psi) {}

  private record Data(Chunk chunk, int off, int len) {}

  /** {@code len} input bytes from file position {@code start}, with {@code values[i]} put at offset {@code at[i]}. */
  private record Range(long start, int len, int[] at, byte[] values, int units) {}

  private record End(int index) {}

  private final class Worker implements Runnable {
    final BlockingQueue<Object> queue;
    final byte[] out;
    final byte[] in;
    final Cipher cipher;
    Thread thread;
    FileChannel channel;
    FileChannel input;
    Target target;
    boolean encrypt;
    long written;

    Worker(int outSize, int queueCapacity, int inSize) {
      queue = queueCapacity == Integer.MAX_VALUE ? new LinkedBlockingQueue<>() : new ArrayBlockingQueue<>(queueCapacity);
      out = new byte[outSize];
      in = new byte[inSize];
      try {
        cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("AES/CBC/PKCS5Padding is missing from this JDK", e);
      }
    }

    void put(Object op) {
      try {
        queue.put(op);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HlsException(HlsException.Reason.IO, "interrupted while queueing a segment write", e);
      }
    }

    @Override
    public void run() {
      while (true) {
        Object op;
        try {
          op = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        if (op == STOP) {
          closeQuietly();
          return;
        }
        try {
          if (failure.get() != null) {
            if (op instanceof Data d) {
              d.chunk().release();
            } else if (op instanceof Range r) {
              readAhead.release(r.units());
            }
            continue;
          }
          if (op instanceof Range r) {
            try {
              read(r);
              encryptOrWrite(in, 0, r.len());
            } finally {
              readAhead.release(r.units());
            }
          } else if (op instanceof Data d) {
            try {
              encryptOrWrite(d.chunk().data, d.off(), d.len());
            } finally {
              d.chunk().release();
            }
          } else if (op instanceof Start s) {
            target = s.target();
            channel = FileChannel.open(target.file(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            written = 0;
            encrypt = target.key() != null;
            if (encrypt) {
              SecretKeySpec k = new SecretKeySpec(target.key(), "AES");
              cipher.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(target.iv()));
              int n = cipher.update(s.psi(), 0, s.psi().length, out, 0);
              write(out, n);
            } else {
              write(s.psi(), 0, s.psi().length);
            }
          } else if (op instanceof End e) {
            if (encrypt) {
              int n = cipher.doFinal(out, 0);
              write(out, n);
              Arrays.fill(target.key(), (byte) 0);
            }
            channel.close();
            channel = null;
            sizes.put(e.index(), written);
          }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
          failure.compareAndSet(null, e instanceof IOException
              ? new HlsException(HlsException.Reason.IO, "cannot write segment " + (target == null ? "?" : target.file()), e)
              : e);
          closeQuietly();
        }
      }
    }

    private void encryptOrWrite(byte[] b, int off, int len) throws IOException, GeneralSecurityException {
      if (encrypt) {
        // 16 KiB per call: C2 compiles the CBC loop with its AES-NI intrinsic only after some hundred calls,
        // which 16 KiB calls reach within the first ~10 MB (1 MiB calls would need ~600 MB; measured cold:
        // 20 % less CPU than 64 KiB calls); per-call overhead stays noise. One write per chunk.
        int n = 0;
        for (int o = off, end = off + len; o < end; o += SLICE) {
          n += cipher.update(b, o, Math.min(SLICE, end - o), out, n);
        }
        write(out, n);
      } else {
        write(b, off, len);
      }
    }

    private void read(Range r) throws IOException {
      if (input == null) {
        input = FileChannel.open(source, StandardOpenOption.READ);
      }
      ByteBuffer bb = ByteBuffer.wrap(in, 0, r.len());
      long pos = r.start();
      while (bb.hasRemaining()) {
        int n = input.read(bb, pos);
        if (n < 0) {
          throw new IOException("the input file " + source + " shrank while it was being packaged");
        }
        pos += n;
      }
      for (int i = 0; i < r.at().length; i++) {
        in[r.at()[i]] = r.values()[i];
      }
    }

    private void write(byte[] b, int n) throws IOException {
      write(b, 0, n);
    }

    private void write(byte[] b, int off, int n) throws IOException {
      ByteBuffer bb = ByteBuffer.wrap(b, off, n);
      while (bb.hasRemaining()) {
        channel.write(bb);
      }
      written += n;
    }

    private void closeQuietly() {
      if (input != null) {
        try {
          input.close();
        } catch (IOException ignored) {
          // read-only
        }
        input = null;
      }
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // the failure already recorded is the one to report
        }
        channel = null;
      }
    }
  }
}
