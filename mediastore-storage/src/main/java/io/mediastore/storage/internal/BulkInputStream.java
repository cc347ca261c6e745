package io.mediastore.storage.internal;

import java.io.IOException;
import java.io.InputStream;

/** A stream that does its work in {@link #read(byte[], int, int)}; the one-byte read goes through it. */
public abstract class BulkInputStream extends InputStream {
    @Override
    public final int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
}
