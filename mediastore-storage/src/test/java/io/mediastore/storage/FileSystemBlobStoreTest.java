package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileSystemBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BlobStore newStore() {
        return FileSystemBlobStore.open(dir.resolve("store"));
    }

    private Path fileOf(String key) {
        return ((FileSystemBlobStore) store).pathOf(BlobKey.of(key));
    }

    @Test
    void aDamagedBlobFileIsLeftOutOfListingsInsteadOfBreakingThem() throws Exception {
        for (String k : new String[] {"d/a", "d/b", "d/c"}) {
            store.put(BlobKey.of(k), unknownLength(random(100, k.hashCode())));
        }
        Files.write(fileOf("d/a"), new byte[0]); // truncated by a crash with fsync off
        Files.write(fileOf("d/c"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}); // a damaged header
        assertEquals(java.util.List.of(BlobKey.of("d/b")), store.listAll("d/").map(BlobSummary::key).toList());
        assertEquals(BlobStoreException.Reason.INTEGRITY, assertThrows(BlobStoreException.class, () -> store.get(BlobKey.of("d/a"))).reason());
        store.delete(BlobKey.of("d/a"));
        assertEquals(Optional.empty(), store.stat(BlobKey.of("d/a")));
    }

    @Test
    void pagesOfNothingButDamagedFilesDoNotEndAListing() throws Exception {
        for (String k : new String[] {"e/a", "e/b", "e/c", "e/d", "e/e"}) {
            store.put(BlobKey.of(k), unknownLength(random(100, k.hashCode())));
        }
        for (String k : new String[] {"e/a", "e/b", "e/c"}) {
            Files.write(fileOf(k), new byte[0]);
        }
        for (int pageSize = 1; pageSize <= 4; pageSize++) {
            List<String> keys = new java.util.ArrayList<>();
            String token = null;
            int pages = 0;
            do {
                BlobPage page = store.list("e/", token, pageSize);
                page.items().forEach(s -> keys.add(s.key().value()));
                token = page.nextPageToken().orElse(null);
                assertTrue(++pages < 20, "paging ends");
            } while (token != null);
            assertEquals(List.of("e/d", "e/e"), keys, "page size " + pageSize);
        }
    }

    @Test
    void filesAndDirectoriesAreOwnerOnly() throws IOException {
        store.put(BlobKey.of("x/y/z"), unknownLength(random(100, 1)));
        try (Stream<Path> all = Files.walk(dir.resolve("store"))) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                String expected = Files.isDirectory(p) ? "rwx------" : "rw-------";
                assertEquals(expected, PosixFilePermissions.toString(perms), p.toString());
            }
        }
    }

    @Test
    void noTemporaryFilesRemainAfterPuts() throws IOException {
        store.put(BlobKey.of("t"), unknownLength(random(100, 1)));
        try (Stream<Path> tmp = Files.list(dir.resolve("store/tmp"))) {
            assertEquals(0, tmp.count());
        }
    }

    @Test
    void flippedBitOnDiskIsDetectedOnRead() throws IOException {
        BlobKey key = BlobKey.of("rot");
        store.put(key, unknownLength(random(10_000, 9)));
        try (RandomAccessFile f = new RandomAccessFile(fileOf("rot").toFile(), "rw")) {
            f.seek(f.length() - 500);
            int b = f.read();
            f.seek(f.length() - 500);
            f.write(b ^ 0x01);
        }
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> readAll(store.get(key)));
        assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason());
    }

    @Test
    void truncatedFileIsDetected() throws IOException {
        BlobKey key = BlobKey.of("cut");
        store.put(key, unknownLength(random(10_000, 9)));
        try (RandomAccessFile f = new RandomAccessFile(fileOf("cut").toFile(), "rw")) {
            f.setLength(f.length() - 1);
        }
        assertEquals(BlobStoreException.Reason.INTEGRITY, assertThrows(BlobStoreException.class, () -> store.get(key)).reason());
    }

    @Test
    void listsInUtf8ByteOrder() {
        for (String k : List.of("u/\uFFFD", "u/\uD83D\uDE00", "u/z")) {
            store.put(BlobKey.of(k), unknownLength(new byte[] {1}));
        }
        // U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16
        assertEquals(List.of("u/z", "u/\uFFFD", "u/\uD83D\uDE00"), store.listAll("u/").map(s -> s.key().value()).toList());
    }

    @Test
    void presignIsUnsupported() {
        assertEquals(BlobStoreException.Reason.UNSUPPORTED,
                assertThrows(BlobStoreException.class, () -> store.presignGet(BlobKey.of("a"), java.time.Duration.ofMinutes(1))).reason());
    }

    @Test
    void staleTemporaryFilesAreRemovedOnOpen() throws IOException {
        Path stale = dir.resolve("store/tmp/0123.part");
        Files.write(stale, new byte[] {1});
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(7200)));
        Path fresh = dir.resolve("store/tmp/4567.part");
        Files.write(fresh, new byte[] {1});
        FileSystemBlobStore.open(dir.resolve("store")).close();
        assertTrue(Files.notExists(stale));
        assertTrue(Files.exists(fresh), "a temp file of a live writer must survive");
    }

    @ParameterizedTest
    @ValueSource(ints = {(1 << 20) - 1, 1 << 20, (1 << 20) + 1, 4 << 20, (5 << 20) + 7})
    void blobsAroundTheHashingBufferSizesRoundTrip(int size) throws Exception {
        byte[] data = random(size, size);
        BlobInfo info = store.put(BlobKey.of("sized"), unknownLength(data));
        assertEquals(size, info.size());
        assertEquals(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data)),
                info.sha256().orElseThrow());
        assertArrayEquals(data, readAll(store.get(BlobKey.of("sized"))));
    }

    @Test
    void aSourceFailingWhileTheHasherRunsStoresNothing() throws IOException {
        BlobKey key = BlobKey.of("failing-late");
        byte[] chunk = random(64 * 1024, 3);
        InputStream broken = new InputStream() {
            long served;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served >= (6 << 20)) {
                    throw new IOException("network gone");
                }
                int n = Math.min(len, chunk.length);
                System.arraycopy(chunk, 0, b, off, n);
                served += n;
                return n;
            }
        };
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.put(key, broken));
        assertEquals(BlobStoreException.Reason.SOURCE_FAILED, e.reason());
        assertEquals(Optional.empty(), store.stat(key));
        try (Stream<Path> tmp = Files.list(dir.resolve("store/tmp"))) {
            assertEquals(0, tmp.count());
        }
    }

    @Test
    void aReplacedLargeBlobStaysReadableToOpenReadersAndIsRemovedInTheBackground() throws Exception {
        BlobKey key = BlobKey.of("big");
        byte[] first = random(3 << 20, 1);
        byte[] second = random(3 << 20, 2);
        store.put(key, unknownLength(first));
        try (InputStream reader = store.get(key)) {
            byte[] head = reader.readNBytes(1000);
            store.put(key, unknownLength(second));
            byte[] rest = reader.readAllBytes();
            byte[] old = new byte[head.length + rest.length];
            System.arraycopy(head, 0, old, 0, head.length);
            System.arraycopy(rest, 0, old, head.length, rest.length);
            assertArrayEquals(first, old, "a reader that opened the old blob reads all of it");
        }
        assertArrayEquals(second, readAll(store.get(key)));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (tmpFileCount() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(0, tmpFileCount(), "the second link to the replaced blob is removed");
    }

    @Test
    void leftoverLinksToReplacedBlobsAreRemovedOnOpen() throws IOException {
        Path leftover = dir.resolve("store/tmp/89ab.replaced");
        Files.write(leftover, new byte[] {1});
        FileSystemBlobStore.open(dir.resolve("store")).close();
        assertTrue(Files.notExists(leftover), "a process that died before removing it leaves no garbage for good");
    }

    private long tmpFileCount() throws IOException {
        try (Stream<Path> tmp = Files.list(dir.resolve("store/tmp"))) {
            return tmp.count();
        }
    }

    @Test
    void aPutDuringAMetadataReplacementIsNotUndone() throws Exception {
        // once, the replacement copied the old blob while the put committed, then renamed the old bytes back
        FileSystemBlobStore fs = FileSystemBlobStore.open(dir.resolve("put-race"), false);
        BlobKey key = BlobKey.of("race");
        byte[] old = random(64 << 20, 1);
        byte[] fresh = random(1000, 2);
        for (int round = 0; round < 3; round++) {
            fs.put(key, new java.io.ByteArrayInputStream(old));
            String r = Integer.toString(round);
            var replacing = java.util.concurrent.CompletableFuture.runAsync(
                    () -> fs.replaceMetadata(key, PutOptions.builder().metadata("round", r).build()));
            Thread.sleep(5);
            fs.put(key, new java.io.ByteArrayInputStream(fresh));
            replacing.join();
            assertArrayEquals(fresh, readAll(fs.get(key)), "round " + round + ": the put's bytes survive");
        }
    }

    @Test
    void aDeleteDuringAMetadataReplacementStaysDeleted() throws Exception {
        FileSystemBlobStore fs = FileSystemBlobStore.open(dir.resolve("delete-race"), false);
        BlobKey key = BlobKey.of("race");
        byte[] old = random(64 << 20, 3);
        for (int round = 0; round < 3; round++) {
            fs.put(key, new java.io.ByteArrayInputStream(old));
            var replacing = java.util.concurrent.CompletableFuture.runAsync(
                    () -> fs.replaceMetadata(key, PutOptions.builder().metadata("a", "b").build()));
            Thread.sleep(5);
            fs.delete(key);
            try {
                replacing.join();
            } catch (java.util.concurrent.CompletionException e) {
                assertEquals(BlobStoreException.Reason.NOT_FOUND, ((BlobStoreException) e.getCause()).reason());
            }
            assertEquals(Optional.empty(), fs.stat(key), "round " + round + ": the deleted blob did not come back");
        }
    }

    @Test
    void ofConcurrentPutsIfAbsentExactlyOneStores() throws Exception {
        BlobKey key = BlobKey.of("race/create");
        int writers = 6;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 20; round++) {
                store.delete(key);
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<BlobInfo>> results = new java.util.ArrayList<>();
                for (int i = 0; i < writers; i++) {
                    byte[] mine = random(64 * 1024, round * 100L + i);
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.putIfAbsent(key, unknownLength(mine), PutOptions.defaults());
                    }));
                }
                start.countDown();
                BlobInfo winner = null;
                int refused = 0;
                for (var r : results) {
                    try {
                        BlobInfo info = r.get();
                        assertEquals(null, winner, "two puts if absent both stored");
                        winner = info;
                    } catch (java.util.concurrent.ExecutionException e) {
                        assertEquals(BlobStoreException.Reason.CHANGED, ((BlobStoreException) e.getCause()).reason());
                        refused++;
                    }
                }
                assertEquals(writers - 1, refused);
                assertEquals(winner.sha256(), store.stat(key).orElseThrow().sha256(), "the blob there is the winner's");
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
