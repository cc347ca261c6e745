package io.mediastore.storage.internal;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * CRC-32C helpers: the hardware-accelerated JDK checksum, its S3 wire form, and the combination of two adjacent
 * runs' checksums into the checksum of both, so a multipart upload gets its whole-object CRC-32C from its parts'
 * without a second pass over the data.
 */
public final class Crc32c {
    /** The reflected Castagnoli polynomial. */
    private static final long POLY = 0x82F63B78L;

    private Crc32c() {
    }

    public static int of(byte[] buf, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(buf, off, len);
        return (int) crc.getValue();
    }

    /** As S3 writes it: base64 of the 4 big-endian bytes. */
    public static String base64(int crc) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt(crc).array());
    }

    /**
     * The CRC-32C of {@code a || b}, given {@code crcA} of a, {@code crcB} of b and b's length: zlib's crc32_combine,
     * which appends {@code lengthB} zero bytes to a's register by squaring the one-zero-bit operator, then adds b's.
     */
    public static int combine(int crcA, int crcB, long lengthB) {
        if (lengthB < 0) {
            throw new IllegalArgumentException("negative length");
        }
        if (lengthB == 0) {
            return crcA;
        }
        long[] odd = new long[32];
        long[] even = new long[32];
        odd[0] = POLY; // the operator for one zero bit
        for (int n = 1; n < 32; n++) {
            odd[n] = 1L << (n - 1);
        }
        square(even, odd); // two zero bits
        square(odd, even); // four zero bits
        long crc = crcA & 0xFFFFFFFFL;
        long len = lengthB;
        do {
            square(even, odd); // the first pass squares four bits into one zero byte
            if ((len & 1) != 0) {
                crc = times(even, crc);
            }
            len >>>= 1;
            if (len == 0) {
                break;
            }
            square(odd, even);
            if ((len & 1) != 0) {
                crc = times(odd, crc);
            }
            len >>>= 1;
        } while (len != 0);
        return (int) (crc ^ (crcB & 0xFFFFFFFFL));
    }

    private static long times(long[] matrix, long vector) {
        long sum = 0;
        for (int i = 0; vector != 0; i++, vector >>>= 1) {
            if ((vector & 1) != 0) {
                sum ^= matrix[i];
            }
        }
        return sum;
    }

    private static void square(long[] result, long[] matrix) {
        for (int n = 0; n < 32; n++) {
            result[n] = times(matrix, matrix[n]);
        }
    }
}
