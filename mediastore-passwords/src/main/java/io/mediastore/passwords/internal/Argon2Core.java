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
         * dst = G(x, y) (xor dst when withXor), per RFC 9106 section 3.5. The row round reads x ^ y
         * straight from memory and the column round xors straight into dst, so the scratch block
         * is written once and read once.
         */
        private void compress(long[] xa, int xo, long[] ya, int yo, long[] da, int d, boolean withXor) {
            long[] r = this.r;
            for (int i = 0; i < 8; i++) {
                firstRow(xa, xo + 16 * i, ya, yo + 16 * i, da, d + 16 * i, withXor, r, 16 * i);
            }
            for (int i = 0; i < 8; i++) {
                lastColumn(r, 2 * i, da, d);
            }
        }
    }

    /** Row round fused with the input: r-row = P(x ^ y), and dst gets x ^ y (xor its old value when withXor). */
    private static void firstRow(long[] xa, int xo, long[] ya, int yo, long[] da, int d, boolean withXor, long[] r, int b) {
        long v0 = xa[xo] ^ ya[yo];
        long v1 = xa[xo + 1] ^ ya[yo + 1];
        long v2 = xa[xo + 2] ^ ya[yo + 2];
        long v3 = xa[xo + 3] ^ ya[yo + 3];
        long v4 = xa[xo + 4] ^ ya[yo + 4];
        long v5 = xa[xo + 5] ^ ya[yo + 5];
        long v6 = xa[xo + 6] ^ ya[yo + 6];
        long v7 = xa[xo + 7] ^ ya[yo + 7];
        long v8 = xa[xo + 8] ^ ya[yo + 8];
        long v9 = xa[xo + 9] ^ ya[yo + 9];
        long v10 = xa[xo + 10] ^ ya[yo + 10];
        long v11 = xa[xo + 11] ^ ya[yo + 11];
        long v12 = xa[xo + 12] ^ ya[yo + 12];
        long v13 = xa[xo + 13] ^ ya[yo + 13];
        long v14 = xa[xo + 14] ^ ya[yo + 14];
        long v15 = xa[xo + 15] ^ ya[yo + 15];
        if (withXor) {
            da[d + 0] ^= v0;
            da[d + 1] ^= v1;
            da[d + 2] ^= v2;
            da[d + 3] ^= v3;
            da[d + 4] ^= v4;
            da[d + 5] ^= v5;
            da[d + 6] ^= v6;
            da[d + 7] ^= v7;
            da[d + 8] ^= v8;
            da[d + 9] ^= v9;
            da[d + 10] ^= v10;
            da[d + 11] ^= v11;
            da[d + 12] ^= v12;
            da[d + 13] ^= v13;
            da[d + 14] ^= v14;
            da[d + 15] ^= v15;
        } else {
            da[d + 0] = v0;
            da[d + 1] = v1;
            da[d + 2] = v2;
            da[d + 3] = v3;
            da[d + 4] = v4;
            da[d + 5] = v5;
            da[d + 6] = v6;
            da[d + 7] = v7;
            da[d + 8] = v8;
            da[d + 9] = v9;
            da[d + 10] = v10;
            da[d + 11] = v11;
            da[d + 12] = v12;
            da[d + 13] = v13;
            da[d + 14] = v14;
            da[d + 15] = v15;
        }
        v0 += v4 + 2 * (v0 & M) * (v4 & M); v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12 + 2 * (v8 & M) * (v12 & M); v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + 2 * (v0 & M) * (v4 & M); v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12 + 2 * (v8 & M) * (v12 & M); v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + 2 * (v1 & M) * (v5 & M); v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13 + 2 * (v9 & M) * (v13 & M); v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + 2 * (v1 & M) * (v5 & M); v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13 + 2 * (v9 & M) * (v13 & M); v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + 2 * (v2 & M) * (v6 & M); v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14 + 2 * (v10 & M) * (v14 & M); v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + 2 * (v2 & M) * (v6 & M); v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14 + 2 * (v10 & M) * (v14 & M); v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + 2 * (v3 & M) * (v7 & M); v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15 + 2 * (v11 & M) * (v15 & M); v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + 2 * (v3 & M) * (v7 & M); v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15 + 2 * (v11 & M) * (v15 & M); v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + 2 * (v0 & M) * (v5 & M); v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15 + 2 * (v10 & M) * (v15 & M); v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + 2 * (v0 & M) * (v5 & M); v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15 + 2 * (v10 & M) * (v15 & M); v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + 2 * (v1 & M) * (v6 & M); v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12 + 2 * (v11 & M) * (v12 & M); v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + 2 * (v1 & M) * (v6 & M); v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12 + 2 * (v11 & M) * (v12 & M); v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + 2 * (v2 & M) * (v7 & M); v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13 + 2 * (v8 & M) * (v13 & M); v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + 2 * (v2 & M) * (v7 & M); v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13 + 2 * (v8 & M) * (v13 & M); v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + 2 * (v3 & M) * (v4 & M); v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14 + 2 * (v9 & M) * (v14 & M); v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + 2 * (v3 & M) * (v4 & M); v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14 + 2 * (v9 & M) * (v14 & M); v4 = Long.rotateRight(v4 ^ v9, 63);
        r[b + 0] = v0;
        r[b + 1] = v1;
        r[b + 2] = v2;
        r[b + 3] = v3;
        r[b + 4] = v4;
        r[b + 5] = v5;
        r[b + 6] = v6;
        r[b + 7] = v7;
        r[b + 8] = v8;
        r[b + 9] = v9;
        r[b + 10] = v10;
        r[b + 11] = v11;
        r[b + 12] = v12;
        r[b + 13] = v13;
        r[b + 14] = v14;
        r[b + 15] = v15;
    }

    /** Column round fused with the output: dst ^= P-column of r. */
    private static void lastColumn(long[] r, int c, long[] da, int d) {
        long v0 = r[c + 0];
        long v1 = r[c + 1];
        long v2 = r[c + 16];
        long v3 = r[c + 17];
        long v4 = r[c + 32];
        long v5 = r[c + 33];
        long v6 = r[c + 48];
        long v7 = r[c + 49];
        long v8 = r[c + 64];
        long v9 = r[c + 65];
        long v10 = r[c + 80];
        long v11 = r[c + 81];
        long v12 = r[c + 96];
        long v13 = r[c + 97];
        long v14 = r[c + 112];
        long v15 = r[c + 113];
        v0 += v4 + 2 * (v0 & M) * (v4 & M); v12 = Long.rotateRight(v12 ^ v0, 32);
        v8 += v12 + 2 * (v8 & M) * (v12 & M); v4 = Long.rotateRight(v4 ^ v8, 24);
        v0 += v4 + 2 * (v0 & M) * (v4 & M); v12 = Long.rotateRight(v12 ^ v0, 16);
        v8 += v12 + 2 * (v8 & M) * (v12 & M); v4 = Long.rotateRight(v4 ^ v8, 63);
        v1 += v5 + 2 * (v1 & M) * (v5 & M); v13 = Long.rotateRight(v13 ^ v1, 32);
        v9 += v13 + 2 * (v9 & M) * (v13 & M); v5 = Long.rotateRight(v5 ^ v9, 24);
        v1 += v5 + 2 * (v1 & M) * (v5 & M); v13 = Long.rotateRight(v13 ^ v1, 16);
        v9 += v13 + 2 * (v9 & M) * (v13 & M); v5 = Long.rotateRight(v5 ^ v9, 63);
        v2 += v6 + 2 * (v2 & M) * (v6 & M); v14 = Long.rotateRight(v14 ^ v2, 32);
        v10 += v14 + 2 * (v10 & M) * (v14 & M); v6 = Long.rotateRight(v6 ^ v10, 24);
        v2 += v6 + 2 * (v2 & M) * (v6 & M); v14 = Long.rotateRight(v14 ^ v2, 16);
        v10 += v14 + 2 * (v10 & M) * (v14 & M); v6 = Long.rotateRight(v6 ^ v10, 63);
        v3 += v7 + 2 * (v3 & M) * (v7 & M); v15 = Long.rotateRight(v15 ^ v3, 32);
        v11 += v15 + 2 * (v11 & M) * (v15 & M); v7 = Long.rotateRight(v7 ^ v11, 24);
        v3 += v7 + 2 * (v3 & M) * (v7 & M); v15 = Long.rotateRight(v15 ^ v3, 16);
        v11 += v15 + 2 * (v11 & M) * (v15 & M); v7 = Long.rotateRight(v7 ^ v11, 63);
        v0 += v5 + 2 * (v0 & M) * (v5 & M); v15 = Long.rotateRight(v15 ^ v0, 32);
        v10 += v15 + 2 * (v10 & M) * (v15 & M); v5 = Long.rotateRight(v5 ^ v10, 24);
        v0 += v5 + 2 * (v0 & M) * (v5 & M); v15 = Long.rotateRight(v15 ^ v0, 16);
        v10 += v15 + 2 * (v10 & M) * (v15 & M); v5 = Long.rotateRight(v5 ^ v10, 63);
        v1 += v6 + 2 * (v1 & M) * (v6 & M); v12 = Long.rotateRight(v12 ^ v1, 32);
        v11 += v12 + 2 * (v11 & M) * (v12 & M); v6 = Long.rotateRight(v6 ^ v11, 24);
        v1 += v6 + 2 * (v1 & M) * (v6 & M); v12 = Long.rotateRight(v12 ^ v1, 16);
        v11 += v12 + 2 * (v11 & M) * (v12 & M); v6 = Long.rotateRight(v6 ^ v11, 63);
        v2 += v7 + 2 * (v2 & M) * (v7 & M); v13 = Long.rotateRight(v13 ^ v2, 32);
        v8 += v13 + 2 * (v8 & M) * (v13 & M); v7 = Long.rotateRight(v7 ^ v8, 24);
        v2 += v7 + 2 * (v2 & M) * (v7 & M); v13 = Long.rotateRight(v13 ^ v2, 16);
        v8 += v13 + 2 * (v8 & M) * (v13 & M); v7 = Long.rotateRight(v7 ^ v8, 63);
        v3 += v4 + 2 * (v3 & M) * (v4 & M); v14 = Long.rotateRight(v14 ^ v3, 32);
        v9 += v14 + 2 * (v9 & M) * (v14 & M); v4 = Long.rotateRight(v4 ^ v9, 24);
        v3 += v4 + 2 * (v3 & M) * (v4 & M); v14 = Long.rotateRight(v14 ^ v3, 16);
        v9 += v14 + 2 * (v9 & M) * (v14 & M); v4 = Long.rotateRight(v4 ^ v9, 63);
        da[d + c + 0] ^= v0;
        da[d + c + 1] ^= v1;
        da[d + c + 16] ^= v2;
        da[d + c + 17] ^= v3;
        da[d + c + 32] ^= v4;
        da[d + c + 33] ^= v5;
        da[d + c + 48] ^= v6;
        da[d + c + 49] ^= v7;
        da[d + c + 64] ^= v8;
        da[d + c + 65] ^= v9;
        da[d + c + 80] ^= v10;
        da[d + c + 81] ^= v11;
        da[d + c + 96] ^= v12;
        da[d + c + 97] ^= v13;
        da[d + c + 112] ^= v14;
        da[d + c + 113] ^= v15;
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
