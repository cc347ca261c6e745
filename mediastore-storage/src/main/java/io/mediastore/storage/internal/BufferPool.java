package io.mediastore.storage.internal;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * A fixed number of equal byte buffers, allocated on first use and reused: the memory bound of a store's
 * uploads. {@link #take()} blocks while all are in use.
 */
public final class BufferPool {
    private final int size;
    private final Semaphore permits;
    private final BlockingQueue<byte[]> free;
    private volatile boolean closed;

    public BufferPool(int bufferSize, int buffers) {
        this.size = bufferSize;
        this.permits = new Semaphore(buffers);
        this.free = new ArrayBlockingQueue<>(buffers);
    }

    public byte[] take() {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.mediastore.storage.BlobStoreException(io.mediastore.storage.BlobStoreException.Reason.IO,
                    "interrupted while waiting for a buffer", e);
        }
        if (closed) {
            permits.release(); // wakes the next waiter, which fails the same way
            throw new io.mediastore.storage.BlobStoreException(io.mediastore.storage.BlobStoreException.Reason.IO,
                    "the store is closed");
        }
        byte[] b = free.poll();
        return b != null ? b : new byte[size];
    }

    /**
     * Fails every waiting and later {@link #take()}: buffers held by work that was dropped will never come back,
     * and a writer must not wait for them.
     */
    public void close() {
        closed = true;
        permits.release();
    }

    public void give(byte[] buffer) {
        free.offer(buffer);
        permits.release();
    }
}
