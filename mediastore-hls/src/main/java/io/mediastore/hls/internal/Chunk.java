package io.mediastore.hls.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A reusable input buffer shared by the parser and the segment writers, returned to its pool at refcount 0. */
public final class Chunk {
  final byte[] data;
  private final AtomicInteger refs = new AtomicInteger();
  private final Pool pool;

  private Chunk(int size, Pool pool) {
    this.data = new byte[size];
    this.pool = pool;
  }

  private long position;

  public byte[] data() {
    return data;
  }

  /** Where {@code data[0]} is in the input stream. */
  public long position() {
    return position;
  }

  public void position(long p) {
    this.position = p;
  }

  public void retain() {
    refs.incrementAndGet();
  }

  public void release() {
    if (refs.decrementAndGet() == 0) {
      pool.free.offer(this);
    }
  }

  /**
   * At most {@code max} chunks, created on demand and reused: memory stays bounded whatever the input length.
   * {@link #acquire()} blocks while all of them are in use.
   */
  public static final class Pool {
    private final BlockingQueue<Chunk> free;
    private final int max;
    private final int size;
    private int created;

    public Pool(int max, int size) {
      if (max < 2) {
        throw new IllegalArgumentException("a pool needs at least 2 chunks");
      }
      this.free = new ArrayBlockingQueue<>(max);
      this.max = max;
      this.size = size;
    }

    public Chunk acquire() throws InterruptedException {
      Chunk c = free.poll();
      if (c == null) {
        synchronized (this) {
          if (created < max) {
            created++;
            c = new Chunk(size, this);
          }
        }
        if (c == null) {
          c = free.take();
        }
      }
      c.refs.set(1);
      return c;
    }

    /** How many chunks were created so far (at most the maximum). */
    public synchronized int created() {
      return created;
    }
  }
}
