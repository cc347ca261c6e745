package io.mediastore.storage.internal;

import io.mediastore.storage.BlobStoreException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Hashes what passes through and, at the end of the stream, compares size and SHA-256 with the expected
 * values: on a mismatch the final read throws INTEGRITY instead of returning -1, so a caller that reads to the
 * end never takes corrupt bytes for a good blob.
 */
public final class VerifyingInputStream extends FilterInputStream {
    private final MessageDigest digest = Sha256.newDigest();
    private final String expectedSha256;
    private final long expectedSize;
    private final String what;
    private long count;
    private boolean verified;

    public VerifyingInputStream(InputStream in, long expectedSize, String expectedSha256, String what) {
        super(in);
        this.expectedSize = expectedSize;
        this.expectedSha256 = expectedSha256;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b < 0) {
            verify();
        } else {
            digest.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n < 0) {
            verify();
        } else if (n > 0) {
            digest.update(b, off, n);
            count += n;
            if (count > expectedSize) {
                throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY, what + " is longer than recorded");
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipping would leave bytes unhashed; read through them instead
        byte[] buf = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: a reset would hash bytes twice
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }

    private void verify() {
        if (verified) {
            return;
        }
        if (count != expectedSize || !Sha256.matches(expectedSha256, digest.digest())) {
            throw new BlobStoreException(BlobStoreException.Reason.INTEGRITY,
                    what + " does not match its recorded size and SHA-256");
        }
        verified = true;
    }
}
