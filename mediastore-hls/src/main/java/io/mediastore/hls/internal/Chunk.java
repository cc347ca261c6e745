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

  public byte[] data() {
    return data;
  }

  public void retain() {
    refs.incrementAndGet();
  }

  public void release() {
    if (refs.decrementAndGet() == 0) {
      pool.free.offer(this);
    }
  }

  /** A fixed set of chunks: memory stays bounded whatever the input length. */
  public static final class Pool {
    private final BlockingQueue<Chunk> free;

    public Pool(int count, int size) {
      free = new ArrayBlockingQueue<>(count);
      for (int i = 0; i < count; i++) {
        free.add(new Chunk(size, this));
      }
    }

    public Chunk acquire() throws InterruptedException {
      Chunk c = free.take();
      c.refs.set(1);
      return c;
    }
  }
}
