package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediastore.storage.internal.Crc32c;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The whole-object CRC-32C that a multipart upload derives from its parts' checksums, and its wire form. */
class Crc32cProperties {

    @Property
    void combiningTwoRunsGivesTheChecksumOfBoth(@ForAll @Size(max = 3000) byte[] a, @ForAll @Size(max = 3000) byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        assertEquals(Crc32c.of(both, 0, both.length),
                Crc32c.combine(Crc32c.of(a, 0, a.length), Crc32c.of(b, 0, b.length), b.length));
    }

    @Property
    void foldingPartsInOrderGivesTheWholeChecksum(@ForAll @Size(min = 1, max = 8) List<@Size(max = 2000) byte[]> parts) {
        int whole = 0; // the CRC-32C of nothing
        int total = 0;
        for (byte[] p : parts) {
            whole = Crc32c.combine(whole, Crc32c.of(p, 0, p.length), p.length);
            total += p.length;
        }
        byte[] all = new byte[total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        assertEquals(Crc32c.of(all, 0, all.length), whole);
    }

    /** Lengths far beyond any test array (up to 4 GiB here): appending a long run at once or piece by piece agrees. */
    @Property(tries = 100)
    void longRunsCombineLikeShortOnesRepeated(@ForAll int crcA, @ForAll @IntRange(min = 1, max = 1 << 20) int blockLength,
                                              @ForAll @IntRange(min = 1, max = 4096) int times) {
        byte[] block = new byte[blockLength];
        new java.util.SplittableRandom(blockLength).nextBytes(block);
        int crcBlock = Crc32c.of(block, 0, blockLength);
        int stepwise = crcA;
        int crcAll = 0; // the CRC-32C of nothing
        for (int i = 0; i < times; i++) {
            stepwise = Crc32c.combine(stepwise, crcBlock, blockLength);
            crcAll = Crc32c.combine(crcAll, crcBlock, blockLength);
        }
        assertEquals(stepwise, Crc32c.combine(crcA, crcAll, (long) blockLength * times));
    }

    @Property
    void anEmptyRunChangesNothing(@ForAll int crc) {
        assertEquals(crc, Crc32c.combine(crc, 0, 0));
    }

    @Example
    void theWireFormIsBase64OfTheBigEndianValue() {
        // RFC 3720's check value: CRC-32C("123456789") = 0xE3069283
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertEquals(0xE3069283, Crc32c.of(check, 0, check.length));
        assertEquals("4waSgw==", Crc32c.base64(0xE3069283));
    }

    @Example
    void aNegativeLengthIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Crc32c.combine(1, 2, -1));
    }
}
