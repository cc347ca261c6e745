package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.storage.internal.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link BlobStore} must show. Extend it, return a fresh, empty store from
 * {@link #newStore()}, and every implementation, ours or a plugin's, is held to the same contract.
 */
public abstract class BlobStoreContract {
    protected BlobStore store;

    /** A new empty store; closed after each test. */
    protected abstract BlobStore newStore() throws Exception;

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    protected static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    protected static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    /** An input stream that does not report its length, as a network upload would. */
    protected static InputStream unknownLength(byte[] data) {
        return new InputStream() {
            private final ByteArrayInputStream in = new ByteArrayInputStream(data);

            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                // short reads, like a socket
                return in.read(b, off, Math.min(len, 1000));
            }
        };
    }

    @Test
    void emptyBlobRoundTrip() throws IOException {
        BlobKey key = BlobKey.of("empty/zero");
        BlobInfo info = store.put(key, unknownLength(new byte[0]));
        assertEquals(0, info.size());
        assertEquals(Optional.of("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), info.sha256());
        assertArrayEquals(new byte[0], readAll(store.get(key)));
        assertEquals(0, store.stat(key).orElseThrow().size());
    }

    @Test
    void putReturnsSizeAndSha256AndGetReturnsTheBytes() throws IOException {
        byte[] data = random(1024, 1);
        BlobKey key = BlobKey.of("a/b/c.bin");
        BlobInfo info = store.put(key, unknownLength(data),
                PutOptions.builder().contentType("image/png").metadata("owner", "alice").build());
        assertEquals(1024, info.size());
        assertEquals(Sha256.hex(Sha256.newDigest().digest(data)), info.sha256().orElseThrow());
        assertArrayEquals(data, readAll(store.get(key)));
        BlobInfo stat = store.stat(key).orElseThrow();
        assertEquals(1024, stat.size());
        assertEquals("image/png", stat.contentType());
        assertEquals(Map.of("owner", "alice"), stat.metadata());
    }

    @Test
    void putReplacesAndDoesNotCloseTheStream() throws IOException {
        BlobKey key = BlobKey.of("replace");
        store.put(key, unknownLength(random(3000, 2)));
        byte[] second = random(10, 3);
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(second) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        store.put(key, in);
        assertEquals(false, closed[0]);
        assertArrayEquals(second, readAll(store.get(key)));
    }

    @Test
    void rangeReads() throws IOException {
        byte[] data = random(5000, 4);
        BlobKey key = BlobKey.of("range");
        store.put(key, unknownLength(data));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 200), readAll(store.get(key, ByteRange.of(100, 100))));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 4990, 5000), readAll(store.get(key, ByteRange.of(4990, 100))));
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 1, 5000), readAll(store.get(key, ByteRange.from(1))));
        assertArrayEquals(new byte[0], readAll(store.get(key, ByteRange.from(5000))));
        assertArrayEquals(new byte[0], readAll(store.get(key, ByteRange.of(7, 0))));
        // lengths whose last byte would overflow a long reach to the end
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 2, 5000), readAll(store.get(key, ByteRange.of(2, Long.MAX_VALUE))));
        assertArrayEquals(data, readAll(store.get(key, ByteRange.of(0, Long.MAX_VALUE))));
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> readAll(store.get(key, ByteRange.from(5001))));
        assertEquals(BlobStoreException.Reason.RANGE_NOT_SATISFIABLE, e.reason());
    }

    @Test
    void missingBlob() {
        BlobKey key = BlobKey.of("nope");
        assertEquals(Optional.empty(), store.stat(key));
        assertEquals(BlobStoreException.Reason.NOT_FOUND, assertThrows(BlobStoreException.class, () -> store.get(key)).reason());
        assertEquals(BlobStoreException.Reason.NOT_FOUND,
                assertThrows(BlobStoreException.class, () -> store.get(key, ByteRange.from(0))).reason());
        assertEquals(BlobStoreException.Reason.NOT_FOUND,
                assertThrows(BlobStoreException.class, () -> store.copy(key, BlobKey.of("x"))).reason());
        store.delete(key); // not an error
    }

    @Test
    void deleteRemoves() {
        BlobKey key = BlobKey.of("d/e/l");
        store.put(key, unknownLength(random(10, 5)));
        store.delete(key);
        assertEquals(Optional.empty(), store.stat(key));
        // the parent can become a blob of its own afterwards
        store.put(BlobKey.of("d/e"), unknownLength(random(3, 5)));
        assertEquals(3, store.stat(BlobKey.of("d/e")).orElseThrow().size());
    }

    @Test
    void aKeyAndItsChildrenCoexist() throws IOException {
        store.put(BlobKey.of("a"), unknownLength(new byte[] {1}));
        store.put(BlobKey.of("a/b"), unknownLength(new byte[] {2}));
        store.put(BlobKey.of("a.d"), unknownLength(new byte[] {3}));
        store.put(BlobKey.of("a.o/b"), unknownLength(new byte[] {4}));
        assertArrayEquals(new byte[] {1}, readAll(store.get(BlobKey.of("a"))));
        assertArrayEquals(new byte[] {2}, readAll(store.get(BlobKey.of("a/b"))));
        assertArrayEquals(new byte[] {3}, readAll(store.get(BlobKey.of("a.d"))));
        assertArrayEquals(new byte[] {4}, readAll(store.get(BlobKey.of("a.o/b"))));
    }

    @Test
    void listsByPrefixInPagesInUtf8Order() {
        // (no pair whose UTF-8 and UTF-16 orders differ: S3Proxy's filesystem backend lists in UTF-16 order)
        List<String> keys = List.of("v/1", "v/2", "v/10", "v/a/b", "v/\u00e9", "v/\uD83D\uDE00", "w/1", "v0");
        for (String k : keys) {
            store.put(BlobKey.of(k), unknownLength(new byte[] {7}));
        }
        List<String> seen = new ArrayList<>();
        String token = null;
        int pages = 0;
        do {
            BlobPage page = store.list("v/", token, 2);
            assertTrue(page.items().size() <= 2);
            page.items().forEach(s -> seen.add(s.key().value()));
            token = page.nextPageToken().orElse(null);
            pages++;
        } while (token != null && pages < 20);
        assertEquals(List.of("v/1", "v/10", "v/2", "v/a/b", "v/\u00e9", "v/\uD83D\uDE00"), seen);
        assertEquals(List.of("v/1", "v/10"), store.listAll("v/1").map(s -> s.key().value()).toList());
        assertEquals(8, store.listAll("").count());
        assertEquals(1, store.listAll("v0").count());
        assertEquals(0, store.listAll("zz/").count());
        assertEquals(1, store.list("v/a", null, 10).items().get(0).size());
        assertThrows(IllegalArgumentException.class, () -> store.list("v/", "garbage", 10));
        assertThrows(IllegalArgumentException.class, () -> store.list("v/", null, 0));
        assertThrows(IllegalArgumentException.class, () -> store.list("../", null, 10));
    }

    @Test
    void copyAndReplaceMetadata() throws IOException {
        byte[] data = random(2048, 6);
        BlobKey src = BlobKey.of("src");
        store.put(src, unknownLength(data), PutOptions.builder().contentType("text/plain").metadata("k", "v").build());
        BlobInfo copied = store.copy(src, BlobKey.of("dst/copy"));
        assertEquals(2048, copied.size());
        assertArrayEquals(data, readAll(store.get(BlobKey.of("dst/copy"))));
        assertEquals(Map.of("k", "v"), store.stat(BlobKey.of("dst/copy")).orElseThrow().metadata());
        store.replaceMetadata(src, PutOptions.builder().contentType("text/csv").metadata("x", "y").build());
        BlobInfo after = store.stat(src).orElseThrow();
        assertEquals(Map.of("x", "y"), after.metadata());
        assertEquals("text/csv", after.contentType());
        assertArrayEquals(data, readAll(store.get(src)));
    }

    /** Whether the store's stat reports the digest that {@link BlobStore#replaceMetadataIf} names. */
    protected boolean reportsDigests() {
        return true;
    }

    @Test
    void aConditionalMetadataReplacementLeavesANewerBlobAlone() throws IOException {
        BlobKey key = BlobKey.of("cond/blob");
        byte[] first = random(2500, 10);
        byte[] second = random(2600, 11);
        store.put(key, unknownLength(first), PutOptions.builder().metadata("v", "1").build());
        BlobInfo seen = store.stat(key).orElseThrow();
        if (!reportsDigests()) {
            assertEquals(BlobStoreException.Reason.UNSUPPORTED, assertThrows(BlobStoreException.class,
                    () -> store.replaceMetadataIf(key, "00", PutOptions.builder().build())).reason());
            return;
        }
        String sha = seen.sha256().orElseThrow();
        store.replaceMetadataIf(key, sha, PutOptions.builder().contentType("text/plain").metadata("v", "2").build());
        assertEquals(Map.of("v", "2"), store.stat(key).orElseThrow().metadata());
        // a put since the stat: the replacement that named the old version changes nothing
        store.put(key, unknownLength(second), PutOptions.builder().metadata("v", "3").build());
        assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                () -> store.replaceMetadataIf(key, sha, PutOptions.builder().metadata("v", "stale").build())).reason());
        assertEquals(Map.of("v", "3"), store.stat(key).orElseThrow().metadata());
        assertArrayEquals(second, readAll(store.get(key)));
        assertEquals(BlobStoreException.Reason.NOT_FOUND, assertThrows(BlobStoreException.class,
                () -> store.replaceMetadataIf(BlobKey.of("cond/none"), sha, PutOptions.builder().build())).reason());
    }

    @Test
    void aPutIfAbsentStoresOnlyOnAFreeKey() throws IOException {
        BlobKey key = BlobKey.of("create/once");
        byte[] first = random(1500, 20);
        BlobInfo stored = store.putIfAbsent(key, unknownLength(first), PutOptions.builder().metadata("v", "1").build());
        assertEquals(1500, stored.size());
        assertArrayEquals(first, readAll(store.get(key)));
        BlobStoreException e = assertThrows(BlobStoreException.class,
                () -> store.putIfAbsent(key, unknownLength(random(1600, 21)), PutOptions.builder().metadata("v", "2").build()));
        assertEquals(BlobStoreException.Reason.CHANGED, e.reason());
        assertArrayEquals(first, readAll(store.get(key)), "the blob there is left as it was");
        assertEquals(Map.of("v", "1"), store.stat(key).orElseThrow().metadata());
        store.delete(key);
        byte[] again = random(10, 22);
        store.putIfAbsent(key, unknownLength(again), PutOptions.defaults());
        assertArrayEquals(again, readAll(store.get(key)), "a deleted key is free again");
    }

    @Test
    void aConditionalPutReplacesOnlyTheVersionItNames() throws IOException {
        BlobKey key = BlobKey.of("cond/put");
        byte[] v1 = random(2500, 23);
        byte[] v2 = random(2600, 24);
        byte[] v3 = random(2700, 25);
        store.put(key, unknownLength(v1));
        if (!reportsDigests()) {
            assertEquals(BlobStoreException.Reason.UNSUPPORTED, assertThrows(BlobStoreException.class,
                    () -> store.putIf(key, "00", unknownLength(v2), PutOptions.defaults())).reason());
            assertArrayEquals(v1, readAll(store.get(key)));
            return;
        }
        String seen = store.stat(key).orElseThrow().sha256().orElseThrow();
        BlobInfo replaced = store.putIf(key, seen, unknownLength(v2), PutOptions.builder().metadata("v", "2").build());
        assertEquals(Sha256.hex(Sha256.newDigest().digest(v2)), replaced.sha256().orElseThrow());
        assertArrayEquals(v2, readAll(store.get(key)));
        // the version named is gone now: a put naming it again changes nothing
        assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                () -> store.putIf(key, seen, unknownLength(v3), PutOptions.defaults())).reason());
        assertArrayEquals(v2, readAll(store.get(key)));
        assertEquals(Map.of("v", "2"), store.stat(key).orElseThrow().metadata());
        store.delete(key);
        assertEquals(BlobStoreException.Reason.NOT_FOUND, assertThrows(BlobStoreException.class,
                () -> store.putIf(key, replaced.sha256().orElseThrow(), unknownLength(v3), PutOptions.defaults())).reason());
        assertEquals(Optional.empty(), store.stat(key), "a conditional put never brings a deleted blob back");
    }

    @Test
    void copyWithNewMetadataReplacesTheTargetInOneStep() throws IOException {
        byte[] data = random(3000, 8);
        byte[] old = random(100, 9);
        BlobKey src = BlobKey.of("cm/src");
        BlobKey dst = BlobKey.of("cm/dst");
        store.put(src, unknownLength(data), PutOptions.builder().contentType("text/plain").metadata("k", "v").build());
        store.put(dst, unknownLength(old), PutOptions.builder().contentType("image/png").metadata("old", "1").build());
        BlobInfo copied = store.copy(src, dst, PutOptions.builder().contentType("video/mp4").metadata("title", "intro").build());
        assertEquals(3000, copied.size());
        assertEquals("video/mp4", copied.contentType());
        assertEquals(Map.of("title", "intro"), copied.metadata());
        BlobInfo stat = store.stat(dst).orElseThrow();
        assertEquals("video/mp4", stat.contentType());
        assertEquals(Map.of("title", "intro"), stat.metadata());
        assertEquals(3000, stat.size());
        assertArrayEquals(data, readAll(store.get(dst)), "the whole copy reads back, its digest checked");
        assertArrayEquals(java.util.Arrays.copyOfRange(data, 2000, 2100), readAll(store.get(dst, ByteRange.of(2000, 100))));
        BlobInfo source = store.stat(src).orElseThrow();
        assertEquals(Map.of("k", "v"), source.metadata(), "the source keeps its metadata");
        assertEquals("text/plain", source.contentType());
        assertEquals(BlobStoreException.Reason.NOT_FOUND, assertThrows(BlobStoreException.class,
                () -> store.copy(BlobKey.of("cm/missing"), dst, PutOptions.builder().build())).reason());
        assertArrayEquals(data, readAll(store.get(dst)), "a failed copy leaves the target as it was");
    }

    @Test
    void aFailingSourceStoresNothing() {
        BlobKey key = BlobKey.of("failing");
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100_000) {
                    throw new IOException("network gone");
                }
                return 1;
            }
        };
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.put(key, broken));
        assertEquals(BlobStoreException.Reason.SOURCE_FAILED, e.reason());
        assertEquals(Optional.empty(), store.stat(key));
    }

    @Test
    void concurrentWritersOfOneKeyNeverMix() throws Exception {
        BlobKey key = BlobKey.of("contended");
        int writers = 4;
        byte[][] versions = new byte[writers][];
        for (int i = 0; i < writers; i++) {
            versions[i] = new byte[256 * 1024];
            java.util.Arrays.fill(versions[i], (byte) i);
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 3; round++) {
                List<Future<BlobInfo>> futures = new ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    byte[] v = versions[i];
                    futures.add(pool.submit((Callable<BlobInfo>) () -> store.put(key, unknownLength(v))));
                }
                for (Future<BlobInfo> f : futures) {
                    f.get();
                }
                byte[] got = readAll(store.get(key));
                assertEquals(256 * 1024, got.length);
                byte first = got[0];
                for (byte b : got) {
                    if (b != first) {
                        throw new AssertionError("a blob mixes two writers' bytes");
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void presignIsEitherUnsupportedOrAUri() {
        BlobKey key = BlobKey.of("p");
        store.put(key, unknownLength(new byte[] {1}));
        try {
            assertTrue(store.presignGet(key, java.time.Duration.ofMinutes(1)).isAbsolute());
        } catch (BlobStoreException e) {
            assertEquals(BlobStoreException.Reason.UNSUPPORTED, e.reason());
        }
    }
}
