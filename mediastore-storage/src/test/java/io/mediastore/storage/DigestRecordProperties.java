package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.mediastore.storage.internal.Sha256;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** The digest record that holds a multipart blob's SHA-256: round trips, and is believed only for its own ETag and size. */
class DigestRecordProperties {

    @Provide
    Arbitrary<String> eTags() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(32).flatMap(md5 ->
                Arbitraries.integers().between(1, 10_000).map(parts -> md5 + "-" + parts));
    }

    @Property
    void roundTrips(@ForAll("eTags") String eTag, @ForAll @LongRange(min = 0, max = 5L << 40) long size,
                    @ForAll @Size(32) byte[] sha) {
        byte[] record = S3BlobStore.digestRecord(eTag, size, sha);
        assertEquals(Sha256.hex(sha), S3BlobStore.parseDigestRecord(record, eTag, size));
    }

    @Property
    void isNotBelievedForAnotherObject(@ForAll("eTags") String eTag, @ForAll("eTags") String otherETag,
                                       @ForAll @LongRange(min = 0, max = 1L << 40) long size, @ForAll @Size(32) byte[] sha) {
        byte[] record = S3BlobStore.digestRecord(eTag, size, sha);
        assertNull(S3BlobStore.parseDigestRecord(record, eTag, size + 1));
        if (!otherETag.equals(eTag)) {
            assertNull(S3BlobStore.parseDigestRecord(record, otherETag, size));
        }
    }

    /** One changed, dropped or inserted byte either leaves a record naming this object or makes it unreadable: never a crash. */
    @Property
    void mutatedRecordsAreRefusedOrStillWellFormed(@ForAll("eTags") String eTag, @ForAll @Size(32) byte[] sha,
                                                   @ForAll("mutations") int[] mutation) {
        long size = 123_456_789L;
        byte[] record = S3BlobStore.digestRecord(eTag, size, sha);
        int at = Math.floorMod(mutation[1], record.length);
        byte[] mutated = switch (mutation[0]) {
            case 0 -> {
                byte[] m = record.clone();
                m[at] = (byte) mutation[2];
                yield m;
            }
            case 1 -> {
                byte[] m = new byte[record.length - 1];
                System.arraycopy(record, 0, m, 0, at);
                System.arraycopy(record, at + 1, m, at, record.length - at - 1);
                yield m;
            }
            default -> {
                byte[] m = new byte[record.length + 1];
                System.arraycopy(record, 0, m, 0, at);
                m[at] = (byte) mutation[2];
                System.arraycopy(record, at, m, at + 1, record.length - at);
                yield m;
            }
        };
        String parsed = S3BlobStore.parseDigestRecord(mutated, eTag, size);
        if (parsed != null) {
            // only a change inside the digest itself can still parse, and then it is a well-formed digest
            assertEquals(64, parsed.length());
            assertEquals(new String(mutated, StandardCharsets.ISO_8859_1),
                    new String(S3BlobStore.digestRecord(eTag, size, Sha256.parseOrNull(parsed)), StandardCharsets.ISO_8859_1)
                            .replace(Sha256.hex(Sha256.parseOrNull(parsed)), parsed));
        }
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers().between(0, 2).flatMap(kind -> Arbitraries.integers().flatMap(at ->
                Arbitraries.integers().between(0, 255).map(value -> new int[] {kind, at, value})));
    }

    @Property
    void arbitraryBytesNeverCrash(@ForAll @Size(max = 600) byte[] junk) {
        assertNull(S3BlobStore.parseDigestRecord(junk, "0123456789abcdef0123456789abcdef-3", 42));
    }

    @Example
    void anOversizedRecordIsRefused() {
        byte[] record = S3BlobStore.digestRecord("e-1", 1, new byte[32]);
        byte[] big = new byte[600];
        System.arraycopy(record, 0, big, 0, record.length);
        assertNull(S3BlobStore.parseDigestRecord(big, "e-1", 1));
    }
}
