package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

/** The check that an S3 answer's Content-Range is the range a read asked for. */
class ContentRangeProperties {

    @Property
    void aRangeIsServedWhenItStartsWhereAskedAndEndsNoLater(@ForAll @LongRange(min = 0, max = 1L << 50) long first,
                                                           @ForAll @LongRange(min = 0, max = 1L << 40) long asked,
                                                           @ForAll @LongRange(min = 0, max = 1L << 40) long got) {
        long last = first + asked;
        long to = first + got;
        String header = "bytes " + first + "-" + to + "/" + (to + 1);
        assertEquals(to <= last, S3BlobStore.servesRange(header, null, first, last));
        assertTrue(S3BlobStore.servesRange(header, null, first, -1), "to the end: any end will do");
        assertFalse(S3BlobStore.servesRange(header, null, first + 1, -1), "another first byte never does");
        assertTrue(S3BlobStore.servesRange("bytes " + first + "-" + to + "/*", null, first, -1));
    }

    @Property
    void hostileHeadersAreRefusedWithoutAnException(@ForAll String header, @ForAll @LongRange(min = 0) long first) {
        boolean served = S3BlobStore.servesRange(header, null, first, -1);
        if (served) {
            assertTrue(header.trim().startsWith("bytes " + first + "-"), header);
        }
    }

    /** A server may ignore Range and send the whole blob: that answers a range from 0 that the whole blob fits in. */
    @Property
    void theWholeBlobWithoutAContentRangeAnswersARangeFromZeroItFitsIn(@ForAll @LongRange(min = 0, max = 1L << 40) long first,
                                                                       @ForAll @LongRange(min = -1, max = 1L << 40) long last,
                                                                       @ForAll @LongRange(min = 0, max = 1L << 40) long size) {
        assertEquals(first == 0 && (last == -1 || size <= last + 1), S3BlobStore.servesRange(null, size, first, last));
        assertEquals(first == 0 && last == -1, S3BlobStore.servesRange(null, null, first, last), "an unknown size: only to the end");
    }

    @Property
    void numbersBeyondALongAreRefused(@ForAll @LongRange(min = 0) long first) {
        assertFalse(S3BlobStore.servesRange("bytes " + first + "-99999999999999999999/100000000000000000000", null, first, -1));
        assertFalse(S3BlobStore.servesRange("bytes 5-3/10", null, 5, -1), "an end before the start");
    }
}
