package io.mediastore.passwords.internal;

import io.mediastore.passwords.Argon2Type;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2 (RFC 9106) in plain Java over a caller-supplied {@code long[]} of memory blocks, so a
 * pool can reuse the same memory across calls instead of allocating m KiB each time (which is
 * what makes BouncyCastle's generator spike the garbage collector under load). BouncyCastle's
 * {@code Argon2BytesGenerator} is the reference it is tested against; Blake2b comes from
 * BouncyCastle as it is only used for the few hashes around the memory-filling loop.
 */
public final class Argon2Core {
    /** 64-bit words per 1 KiB block. */
    public static final int WORDS = 128;
    private static final int SYNC_POINTS = 4;
    private static final long M = 0xFFFFFFFFL;

    private Argon2Core() {}

    /** The number of blocks Argon2 actually uses for {@code memoryKiB} and {@code lanes}. */
    public static int blockCount(int memoryKiB, int lanes) {
        int m = Math.max(memoryKiB, 2 * SYNC_POINTS * lanes);
        int segment = m / (lanes * SYNC_POINTS);
        return segment * lanes * SYNC_POINTS;
    }

    /**
     * Computes the tag. {@code memory} must hold at least {@link #blockCount} * 128 words; its
     * previous contents do not matter and the used part is zeroed before returning.
     */
    public static void hash(Argon2Type type, int version, int memoryKiB, int iterations, int lanes,
                            byte[] password, byte[] salt, byte[] secret, byte[] associatedData,
                            byte[] out, long[] memory) {
        int blocks = blockCount(memoryKiB, lanes);
        int segmentLength = blocks / (lanes * SYNC_POINTS);
        int laneLength = segmentLength * SYNC_POINTS;
        if (memory.length < (long) blocks * WORDS) {
            throw new IllegalArgumentException("memory too small");
        }
        try {
            byte[] h0 = initialHash(type, version, memoryKiB, iterations, lanes, out.length,
                    password, salt, secret, associatedData);
            byte[] seed = Arrays.copyOf(h0, 72);
            byte[] blockBytes = new byte[1024];
            for (int l = 0; l < lanes; l++) {
                for (int j = 0; j < 2; j++) {
                    intLE(j, seed, 64);
                    intLE(l, seed, 68);
                    hPrime(seed, blockBytes);
                    int off = (l * laneLength + j) * WORDS;
                    for (int w = 0; w < WORDS; w++) {
                        memory[off + w] = longLE(blockBytes, w * 8);
                    }
                }
            }
            Arrays.fill(seed, (byte) 0);
            Arrays.fill(h0, (byte) 0);

            Filler filler = new Filler(type, version, iterations, lanes, blocks, segmentLength, laneLength, memory);
            for (int pass = 0; pass < iterations; pass++) {
                for (int slice = 0; slice < SYNC_POINTS; slice++) {
                    // Lanes of one slice only read blocks of finished slices, so computing them one
                    // after another gives the same result as the reference's threads.
                    for (int lane = 0; lane < lanes; lane++) {
                        filler.fillSegment(pass, lane, slice);
                    }
                }
            }
            filler.wipeScratch();

            long[] last = new long[WORDS];
            for (int l = 0; l < lanes; l++) {
                int off = (l * laneLength + laneLength - 1) * WORDS;
                for (int w = 0; w < WORDS; w++) {
                    last[w] ^= memory[off + w];
                }
            }
            for (int w = 0; w < WORDS; w++) {
                longLE(last[w], blockBytes, w * 8);
            }
            Arrays.fill(last, 0L);
            hPrime(blockBytes, out);
            Arrays.fill(blockBytes, (byte) 0);
        } finally {
            // the blocks are derived from the password: never leave them in a pooled array
            Arrays.fill(memory, 0, blocks * WORDS, 0L);
        }
    }

    private static byte[] initialHash(Argon2Type type, int version, int memoryKiB, int iterations, int lanes,
                                      int tagLength, byte[] password, byte[] salt, byte[] secret, byte[] ad) {
        Blake2bDigest d = new Blake2bDigest(512);
        updateInt(d, lanes);
        updateInt(d, tagLength);
        updateInt(d, memoryKiB);
        updateInt(d, iterations);
        updateInt(d, version);
        updateInt(d, type.id());
        updateBytes(d, password);
        updateBytes(d, salt);
        updateBytes(d, secret);
        updateBytes(d, ad);
        byte[] h0 = new byte[64];
        d.doFinal(h0, 0);
        return h0;
    }

    private static void updateBytes(Blake2bDigest d, byte[] b) {
        if (b == null) {
            updateInt(d, 0);
        } else {
            updateInt(d, b.length);
            d.update(b, 0, b.length);
        }
    }

    private static void updateInt(Blake2bDigest d, int v) {
        byte[] b = new byte[4];
        intLE(v, b, 0);
        d.update(b, 0, 4);
    }

    /** The variable-length hash H' of RFC 9106 section 3.3. */
    static void hPrime(byte[] in, byte[] out) {
        byte[] len = new byte[4];
        intLE(out.length, len, 0);
        if (out.length <= 64) {
            Blake2bDigest d = new Blake2bDigest(out.length * 8);
            d.update(len, 0, 4);
            d.update(in, 0, in.length);
            d.doFinal(out, 0);
            return;
        }
        int r = (out.length + 31) / 32 - 2;
        byte[] v = new byte[64];
        Blake2bDigest d = new Blake2bDigest(512);
        d.update(len, 0, 4);
        d.update(in, 0, in.length);
        d.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        int pos = 32;
        for (int i = 1; i < r; i++) {
            d.update(v, 0, 64);
            d.doFinal(v, 0);
            System.arraycopy(v, 0, out, pos, 32);
            pos += 32;
        }
        int lastLength = out.length - 32 * r;
        Blake2bDigest fin = new Blake2bDigest(lastLength * 8);
        fin.update(v, 0, 64);
        byte[] tail = new byte[lastLength];
        fin.doFinal(tail, 0);
        System.arraycopy(tail, 0, out, pos, lastLength);
        Arrays.fill(v, (byte) 0);
    }

    /** The memory-filling loop; one instance per computation, holding its scratch blocks. */
    private static final class Filler {
        private final Argon2Type type;
        private final int version;
        private final int iterations;
        private final int lanes;
        private final int blocks;
        private final int segmentLength;
        private final int laneLength;
        private final long[] mem;
        private final long[] r = new long[WORDS];
        private final long[] zero = new long[WORDS];
        private final long[] input = new long[WORDS];
        private final long[] address = new long[WORDS];

        Filler(Argon2Type type, int version, int iterations, int lanes, int blocks, int segmentLength,
               int laneLength, long[] mem) {
            this.type = type;
            this.version = version;
            this.iterations = iterations;
            this.lanes = lanes;
            this.blocks = blocks;
            this.segmentLength = segmentLength;
            this.laneLength = laneLength;
            this.mem = mem;
        }

        /** The scratch block holds password-derived words; clear it like the memory blocks. */
        void wipeScratch() {
            Arrays.fill(r, 0L);
        }

        void fillSegment(int pass, int lane, int slice) {
            boolean independent = type == Argon2Type.ARGON2I
                    || (type == Argon2Type.ARGON2ID && pass == 0 && slice < SYNC_POINTS / 2);
            if (independent) {
                Arrays.fill(input, 0L);
                input[0] = pass;
                input[1] = lane;
                input[2] = slice;
                input[3] = blocks;
                input[4] = iterations;
                input[5] = type.id();
            }
            int start = 0;
            if (pass == 0 && slice == 0) {
                start = 2;
                if (independent) {
                    nextAddresses();
                }
            }
            int curr = lane * laneLength + slice * segmentLength + start;
            int prev = (curr % laneLength == 0) ? curr + laneLength - 1 : curr - 1;
            boolean withXor = pass != 0 && version != 0x10;
            for (int i = start; i < segmentLength; i++, curr++, prev++) {
                if (curr % laneLength == 1) {
                    prev = curr - 1;
                }
                long pseudoRand;
                if (independent) {
                    if (i % WORDS == 0) {
                        nextAddresses();
                    }
                    pseudoRand = address[i % WORDS];
                } else {
                    pseudoRand = mem[prev * WORDS];
                }
                int refLane = (int) ((pseudoRand >>> 32) % lanes);
                if (pass == 0 && slice == 0) {
                    refLane = lane;
                }
                int refIndex = indexAlpha(pass, slice, i, pseudoRand & M, refLane == lane);
                int ref = laneLength * refLane + refIndex;
                compress(mem, prev * WORDS, mem, ref * WORDS, mem, curr * WORDS, withXor);
            }
        }

        private int indexAlpha(int pass, int slice, int index, long pseudoRand, boolean sameLane) {
            long area;
            if (pass == 0) {
                if (slice == 0) {
                    area = index - 1;
                } else if (sameLane) {
                    area = (long) slice * segmentLength + index - 1;
                } else {
                    area = (long) slice * segmentLength + (index == 0 ? -1 : 0);
                }
            } else if (sameLane) {
                area = laneLength - segmentLength + index - 1;
            } else {
                area = laneLength - segmentLength + (index == 0 ? -1 : 0);
            }
            long rel = (pseudoRand * pseudoRand) >>> 32;
            rel = area - 1 - ((area * rel) >>> 32);
            long startPos = 0;
            if (pass != 0) {
                startPos = (slice == SYNC_POINTS - 1) ? 0 : (long) (slice + 1) * segmentLength;
            }
            return (int) ((startPos + rel) % laneLength);
        }

        private void nextAddresses() {
            input[6]++;
            compress(zero, 0, input, 0, address, 0, false);
            compress(zero, 0, address, 0, address, 0, false);
        }

        /**
         * dst = G(x, y) (xor dst when withXor), per RFC 9106 section 3.5: R = x ^ y, the permutation P on R's
         * rows then on its columns, then dst = R ^ P(R). P runs in place on a 1 KiB scratch block that stays in
         * L1, one GB quarter-round (4 words in registers) at a time. Holding a whole 16-word row in locals
         * instead, as an earlier version did, needs more registers than x86-64 has to spare in C2 (which keeps
         * 13 free), and C2 17 then spilled on almost every line: this form is about 12 % faster on Java 17 (the
         * interleaved harness went from 1.37x to 1.18x native libargon2; BENCHMARKS.md has the JMH figures).
         */
        private void compress(long[] xa, int xo, long[] ya, int yo, long[] da, int d, boolean withXor) {
            long[] r = this.r;
            for (int k = 0; k < WORDS; k++) {
                r[k] = xa[xo + k] ^ ya[yo + k];
            }
            // P on each row of 16 words: G on its four columns, then on its four diagonals
            for (int i = 0; i < 128; i += 16) {
                g(r, i, i + 4, i + 8, i + 12);
                g(r, i + 1, i + 5, i + 9, i + 13);
                g(r, i + 2, i + 6, i + 10, i + 14);
                g(r, i + 3, i + 7, i + 11, i + 15);
                g(r, i, i + 5, i + 10, i + 15);
                g(r, i + 1, i + 6, i + 11, i + 12);
                g(r, i + 2, i + 7, i + 8, i + 13);
                g(r, i + 3, i + 4, i + 9, i + 14);
            }
            // P on each column: words 2i and 2i+1 of every row, taken as one 16-word vector
            for (int i = 0; i < 16; i += 2) {
                g(r, i, i + 32, i + 64, i + 96);
                g(r, i + 1, i + 33, i + 65, i + 97);
                g(r, i + 16, i + 48, i + 80, i + 112);
                g(r, i + 17, i + 49, i + 81, i + 113);
                g(r, i, i + 33, i + 80, i + 113);
                g(r, i + 1, i + 48, i + 81, i + 96);
                g(r, i + 16, i + 49, i + 64, i + 97);
                g(r, i + 17, i + 32, i + 65, i + 112);
            }
            if (withXor) {
                for (int k = 0; k < WORDS; k++) {
                    da[d + k] ^= xa[xo + k] ^ ya[yo + k] ^ r[k];
                }
            } else {
                for (int k = 0; k < WORDS; k++) {
                    da[d + k] = xa[xo + k] ^ ya[yo + k] ^ r[k];
                }
            }
        }
    }

    /** GB, the BlaMka quarter-round of RFC 9106 section 3.6, on four words of v, in place. */
    private static void g(long[] v, int ia, int ib, int ic, int id) {
        long a = v[ia], b = v[ib], c = v[ic], d = v[id];
        a += b + 2 * (a & M) * (b & M); d = Long.rotateRight(d ^ a, 32);
        c += d + 2 * (c & M) * (d & M); b = Long.rotateRight(b ^ c, 24);
        a += b + 2 * (a & M) * (b & M); d = Long.rotateRight(d ^ a, 16);
        c += d + 2 * (c & M) * (d & M); b = Long.rotateRight(b ^ c, 63);
        v[ia] = a;
        v[ib] = b;
        v[ic] = c;
        v[id] = d;
    }

    static void intLE(int v, byte[] b, int off) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    private static void longLE(long v, byte[] b, int off) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static long longLE(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }
}
