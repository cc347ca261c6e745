package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption over three filesystem replicas, the composition the README recommends: the contract, plus reads that
 * get past a copy that fails authentication or goes away, before or during the read.
 */
class EncryptedReplicasTest extends BlobStoreContract {
    private static final int CT_CHUNK = EncryptingBlobStore.CHUNK + 16;

    @TempDir
    Path dir;
    List<FileSystemBlobStore> fs;
    /** The replicas as the replicated store sees them: ranged reads are recorded and can be made to fail. */
    List<Flaky> replicas;
    Flaky first;
    KeyRing ring = KeyRing.builder().add("m1", random(32, 300)).build();

    @Override
    protected BlobStore newStore() {
        fs = List.of(FileSystemBlobStore.open(dir.resolve("r0"), false), FileSystemBlobStore.open(dir.resolve("r1"), false),
                FileSystemBlobStore.open(dir.resolve("r2"), false));
        replicas = fs.stream().map(Flaky::new).toList();
        first = replicas.get(0);
        return EncryptingBlobStore.wrap(ReplicatedBlobStore.builder().replica(replicas.get(0)).replica(replicas.get(1))
                .replica(replicas.get(2)).spoolDirectory(dir.resolve("spool")).build(), ring);
    }

    @Override
    protected boolean reportsDigests() {
        return false;
    }

    /**
     * A replica whose ranged reads are recorded and fail with {@code failure} after {@code failAfter} bytes if set;
     * a replica that is {@code down} answers nothing.
     */
    static final class Flaky extends ForwardingBlobStore {
        final List<ByteRange> ranges = new CopyOnWriteArrayList<>();
        /** The threads that asked this copy for its stat. */
        final List<Thread> statCallers = new CopyOnWriteArrayList<>();
        volatile long failAfter = -1;
        volatile Supplier<IOException> failure = () -> new IOException("connection reset (test)");
        volatile boolean down;
        /** Refuses metadata changes, as a replica briefly unreachable for writes would. */
        volatile boolean refusesMetadata;
        private Runnable change;
        private int statsBeforeChange;
        /** Runs once, just before the next ranged read reaches the copy. */
        volatile Runnable beforeGet;

        Flaky(BlobStore inner) {
            super(inner);
        }

        /**
         * Runs {@code change} once, just before the second stat from now: the replicated store's stat (choosing the
         * version a read takes) sees the copy as it was, the reader's own stat sees it changed.
         */
        synchronized void changeAfterNextStat(Runnable change) {
            this.change = change;
            this.statsBeforeChange = 1;
        }

        private synchronized void changeIfDue() {
            if (change != null && statsBeforeChange-- == 0) {
                Runnable r = change;
                change = null;
                r.run();
            }
        }

        @Override
        public Optional<BlobInfo> stat(BlobKey key) {
            if (down) {
                throw new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "replica down (test)");
            }
            statCallers.add(Thread.currentThread());
            changeIfDue();
            return super.stat(key);
        }

        @Override
        public BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
            if (refusesMetadata) {
                throw new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "replica refuses writes (test)");
            }
            return super.replaceMetadataIf(key, expectedSha256, options);
        }

        @Override
        public InputStream get(BlobKey key, ByteRange range) {
            if (down) {
                throw new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "replica down (test)");
            }
            Runnable race = beforeGet;
            beforeGet = null;
            if (race != null) {
                race.run();
            }
            ranges.add(range);
            InputStream in = super.get(key, range);
            long limit = failAfter;
            if (limit < 0) {
                return in;
            }
            return new FilterInputStream(in) {
                long read;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (read >= limit) {
                        throw failure.get();
                    }
                    int n = super.read(b, off, (int) Math.min(len, limit - read));
                    read += Math.max(n, 0);
                    return n;
                }
            };
        }
    }

    /** Puts {@code data} under {@code name} through the encrypted, replicated store. */
    private BlobKey stored(String name, byte[] data) {
        BlobKey key = BlobKey.of(name);
        store.put(key, unknownLength(data));
        return key;
    }

    /** Flips one bit of the ciphertext chunk {@code chunk} in replica {@code replica}'s copy. */
    private void corruptChunk(int replica, String key, long chunk) throws IOException {
        corruptAt(replica, key, chunk * CT_CHUNK + 100);
    }

    private void corruptAt(int replica, String key, long ctOffset) throws IOException {
        long ctSize = fs.get(replica).stat(BlobKey.of(key)).orElseThrow().size();
        try (RandomAccessFile f = new RandomAccessFile(fs.get(replica).pathOf(BlobKey.of(key)).toFile(), "rw")) {
            long at = f.length() - ctSize + ctOffset; // the file's header comes first
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
    }

    /**
     * Rewrites replica {@code replica}'s ciphertext behind the store's back, keeping its metadata (envelope included),
     * as an attacker with write access to that backend could; its stat then reports the new size and digest.
     */
    private void rewriteCiphertext(int replica, BlobKey key, java.util.function.UnaryOperator<byte[]> change) {
        FileSystemBlobStore copy = fs.get(replica);
        BlobInfo info = copy.stat(key).orElseThrow();
        byte[] ct;
        try {
            ct = readAll(copy.get(key));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        copy.put(key, new java.io.ByteArrayInputStream(change.apply(ct)),
                PutOptions.builder().contentType(info.contentType()).build().withReserved(info.metadata()));
    }

    @Test
    void aWholeReadOfACopyTruncatedAfterTheVersionWasChosenIsContinuedFromAnIntactReplica() throws Exception {
        // the failover once accepted only copies with the size and digest the first copy's stat reported: a copy
        // truncated just after the replicated store chose the version made both intact replicas "another version"
        byte[] data = random(3 * EncryptingBlobStore.CHUNK + 500, 13);
        BlobKey key = stored("v/trunc", data);
        first.changeAfterNextStat(() -> rewriteCiphertext(0, key, ct -> Arrays.copyOf(ct, 2 * CT_CHUNK)));
        assertArrayEquals(data, readAll(store.get(key)), "chunk 0 from replica 0, the rest from replica 1");
        assertEquals(1, first.ranges.size(), "replica 0 was read first, as far as its truncated size");
    }

    @Test
    void aRangeAtOrPastTheEndOfATruncatedCopyIsReadFromAnIntactReplica() throws Exception {
        // the end was once taken from the first copy's size: empty at its truncated end, RANGE_NOT_SATISFIABLE past
        // it (rethrown at once), though two intact replicas held the bytes
        int c = EncryptingBlobStore.CHUNK;
        byte[] data = random(3 * c + 500, 17);
        BlobKey key = stored("v/end", data);
        for (ByteRange r : List.of(ByteRange.of(2L * c, 100), ByteRange.of(3L * c, 100))) {
            store.put(key, unknownLength(data));
            first.changeAfterNextStat(() -> rewriteCiphertext(0, key, ct -> Arrays.copyOf(ct, 2 * CT_CHUNK)));
            assertArrayEquals(Arrays.copyOfRange(data, (int) r.offset(), (int) r.offset() + 100), readAll(store.get(key, r)), r.toString());
        }
    }

    @Test
    void aReadOfACopyGrownAfterTheVersionWasChosenEndsWhereTheAuthenticCopyEnds() throws Exception {
        byte[] data = random(2 * EncryptingBlobStore.CHUNK + 500, 14);
        BlobKey key = stored("v/grown", data);
        first.changeAfterNextStat(() -> rewriteCiphertext(0, key, ct -> {
            byte[] longer = Arrays.copyOf(ct, ct.length + CT_CHUNK);
            System.arraycopy(ct, 0, longer, ct.length, CT_CHUNK); // chunk 0 appended again
            return longer;
        }));
        assertArrayEquals(data, readAll(store.get(key)), "the read ends at the authentic last chunk, from replica 1");
    }

    @Test
    void aPutLandingOnTheNextCopyAsTheReadMovesThereIsNotCalledTampering() throws Exception {
        byte[] v1 = random(3 * EncryptingBlobStore.CHUNK, 15);
        BlobKey key = stored("v/moved", v1);
        first.failAfter = CT_CHUNK + 10L; // replica 0 goes away in chunk 1
        // a newer version reaches replicas 1 and 2 between the failover's stat of replica 1 and its read there
        replicas.get(1).beforeGet = () -> {
            try (BlobStore laterPut = EncryptingBlobStore.wrap(ReplicatedBlobStore.builder().replica(fs.get(1)).replica(fs.get(2)).build(), ring)) {
                laterPut.put(key, unknownLength(random(3 * EncryptingBlobStore.CHUNK, 16)));
            }
        };
        try (InputStream in = store.get(key)) {
            assertArrayEquals(Arrays.copyOf(v1, EncryptingBlobStore.CHUNK), in.readNBytes(EncryptingBlobStore.CHUNK));
            IOException e = assertThrows(IOException.class, () -> in.read(new byte[100]),
                    "no copy of the version being read is left; nothing failed authentication");
            assertTrue(e.getMessage().contains("connection reset"), e.toString());
        }
    }

    @Test
    void aCopyThatMissedARewrapIsRewrappedByTheNextRotation() throws Exception {
        // rewrap once looked only at the replicated store's stat: a replica away during rewrapAll kept its data key
        // under the old master key, a second rewrapAll saw the new key on the first replica and did nothing, and
        // dropping the old key then made that copy unreadable, silently
        byte[] data = random(100_000, 18);
        BlobKey key = stored("rot/x", data);
        byte[] m2 = random(32, 301);
        KeyRing rotating = KeyRing.builder().add("m1", random(32, 300)).add("m2", m2).primary("m2").build();
        EncryptingBlobStore rotation = EncryptingBlobStore.wrap(ReplicatedBlobStore.builder().replica(replicas.get(0))
                .replica(replicas.get(1)).replica(replicas.get(2)).build(), rotating);
        replicas.get(2).refusesMetadata = true;
        assertEquals(new EncryptingBlobStore.RewrapReport(1, 1, 0, 1), rotation.rewrapAll("rot/"),
                "the quorum of 2 took it without replica 2, whose copy the report counts as unconfirmed");
        assertEquals("m1", EncryptingBlobStore.wrap(fs.get(2), rotating).masterKeyIdOf(key));
        replicas.get(2).refusesMetadata = false;
        assertEquals(new EncryptingBlobStore.RewrapReport(1, 1, 0, 0), rotation.rewrapAll("rot/"),
                "replica 2's copy was still under m1");
        assertEquals(new EncryptingBlobStore.RewrapReport(1, 0, 0, 0), rotation.rewrapAll("rot/"), "every copy is under m2 now");
        KeyRing onlyNew = KeyRing.builder().add("m2", m2).build(); // the old key dropped, as KeyRing's doc says
        for (FileSystemBlobStore copy : fs) {
            assertEquals("m2", EncryptingBlobStore.wrap(copy, rotating).masterKeyIdOf(key), copy.toString());
            assertArrayEquals(data, readAll(EncryptingBlobStore.wrap(copy, onlyNew).get(key)), copy.toString());
        }
    }

    /** Reads until the stream ends or fails (it is left open), keeping what it returned before a failure. */
    private static BlobStoreException readUntilFailure(InputStream in, ByteArrayOutputStream got) throws IOException {
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                got.write(buf, 0, n);
            }
        } catch (BlobStoreException e) {
            return e;
        }
        return null;
    }

    @Test
    void aCopyFailingAuthenticationAtTheStartIsPassedOver() throws Exception {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK + 500, 1);
        store.put(BlobKey.of("v/a"), unknownLength(data));
        corruptChunk(0, "v/a", 0);
        assertArrayEquals(data, readAll(store.get(BlobKey.of("v/a"))), "served by replica 1");
        assertArrayEquals(Arrays.copyOfRange(data, 10, 5000), readAll(store.get(BlobKey.of("v/a"), ByteRange.of(10, 4990))));
        // the range beyond the corrupt chunk is still served by replica 0, whose copy of it is authentic
        first.ranges.clear();
        byte[] tail = readAll(store.get(BlobKey.of("v/a"), ByteRange.from(2L * EncryptingBlobStore.CHUNK)));
        assertArrayEquals(Arrays.copyOfRange(data, 2 * EncryptingBlobStore.CHUNK, data.length), tail);
        assertEquals(List.of(ByteRange.of(2L * CT_CHUNK, data.length + 4L * 16 - 2L * CT_CHUNK)), first.ranges);
    }

    @Test
    void aCopyFailingAuthenticationMidReadIsContinuedFromAnotherReplica() throws Exception {
        byte[] data = random(4 * EncryptingBlobStore.CHUNK + 7, 2);
        store.put(BlobKey.of("v/b"), unknownLength(data));
        corruptChunk(0, "v/b", 2);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = store.get(BlobKey.of("v/b"))) {
            assertEquals(null, readUntilFailure(in, got));
        }
        assertArrayEquals(data, got.toByteArray(), "chunks 0 and 1 from replica 0, the rest from replica 1");
        assertEquals(1, first.ranges.size(), "replica 0 was read once, up to its corrupt chunk");
    }

    @Test
    void aCopyThatGoesAwayMidReadIsContinuedFromAnotherReplica() throws Exception {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK, 3);
        store.put(BlobKey.of("v/c"), unknownLength(data));
        first.failAfter = CT_CHUNK + 5000L; // inside chunk 1
        assertArrayEquals(data, readAll(store.get(BlobKey.of("v/c"))));
        byte[] range = readAll(store.get(BlobKey.of("v/c"), ByteRange.of(1000, 2L * EncryptingBlobStore.CHUNK)));
        assertArrayEquals(Arrays.copyOfRange(data, 1000, 1000 + 2 * EncryptingBlobStore.CHUNK), range);
    }

    @Test
    void everyCopyCorruptFailsWithIntegrityAndNeverReportsAnEnd() throws Exception {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK, 4);
        store.put(BlobKey.of("v/d"), unknownLength(data));
        for (int r = 0; r < 3; r++) {
            corruptChunk(r, "v/d", 1);
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = store.get(BlobKey.of("v/d"))) {
            BlobStoreException e = readUntilFailure(in, got);
            assertEquals(BlobStoreException.Reason.INTEGRITY, e == null ? null : e.reason());
            assertArrayEquals(Arrays.copyOf(data, EncryptingBlobStore.CHUNK), got.toByteArray(), "only chunk 0, which is authentic");
            assertThrows(IOException.class, () -> in.read(), "a failed read stays failed; it does not turn into an end");
        }

        corruptChunk(0, "v/d", 0);
        corruptChunk(1, "v/d", 0);
        corruptChunk(2, "v/d", 0);
        assertEquals(BlobStoreException.Reason.INTEGRITY,
                assertThrows(BlobStoreException.class, () -> store.get(BlobKey.of("v/d"))).reason());
    }

    @Test
    void aReadIsNeverContinuedFromAnotherVersion() throws Exception {
        byte[] v1 = random(3 * EncryptingBlobStore.CHUNK, 5);
        byte[] v2 = random(3 * EncryptingBlobStore.CHUNK, 6); // same size, so only the envelope and digest differ
        BlobKey key = stored("v/e", v1);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        BlobStoreException e;
        try (InputStream in = store.get(key)) { // reading v1 from replica 0
            // meanwhile replicas 1 and 2 take a newer version, and replica 0's copy rots further on
            try (BlobStore laterPut = EncryptingBlobStore.wrap(ReplicatedBlobStore.builder().replica(fs.get(1)).replica(fs.get(2)).build(), ring)) {
                laterPut.put(key, unknownLength(v2));
            }
            corruptChunk(0, "v/e", 2);
            e = readUntilFailure(in, got);
        }
        assertEquals(BlobStoreException.Reason.INTEGRITY, e == null ? null : e.reason(), "no copy of the version being read is left");
        assertArrayEquals(Arrays.copyOf(v1, 2 * EncryptingBlobStore.CHUNK), got.toByteArray(), "v1's authentic chunks, nothing of v2");
    }

    @Test
    void anEmptyBlobWhoseFirstCopyFailsAuthenticationIsReadFromTheNext() throws Exception {
        BlobKey key = BlobKey.of("v/empty");
        store.put(key, unknownLength(new byte[0]));
        corruptAt(0, "v/empty", 3); // its one chunk is just a tag
        assertArrayEquals(new byte[0], readAll(store.get(key)));
        corruptAt(1, "v/empty", 3);
        corruptAt(2, "v/empty", 3);
        assertEquals(BlobStoreException.Reason.INTEGRITY, assertThrows(BlobStoreException.class, () -> readAll(store.get(key))).reason());
    }

    @Test
    void aMissingOrUnreachableFirstCopyIsPassedOver() throws Exception {
        byte[] data = random(EncryptingBlobStore.CHUNK + 1, 7);
        BlobKey key = stored("v/f", data);
        fs.get(0).delete(key);
        assertArrayEquals(data, readAll(store.get(key)));
        store.put(key, unknownLength(data));
        first.failAfter = 0;
        assertArrayEquals(data, readAll(store.get(key)));
        assertTrue(first.ranges.size() >= 1, "replica 0 was tried first");
    }

    @Test
    void aTimeoutMidReadIsContinuedFromAnotherReplicaButAnInterruptEndsTheRead() throws Exception {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK, 9);
        BlobKey key = stored("v/g", data);
        first.failAfter = CT_CHUNK + 5000L;
        first.failure = () -> new SocketTimeoutException("Read timed out (test)");
        assertArrayEquals(data, readAll(store.get(key)), "a replica gone quiet is left for the next");

        replicas.get(1).ranges.clear();
        first.failure = () -> new InterruptedIOException("interrupted (test)");
        try (InputStream in = store.get(key)) {
            in.readNBytes(EncryptingBlobStore.CHUNK);
            Thread.currentThread().interrupt();
            // the filesystem's channel reports the interrupt as ClosedByInterruptException, the failure above as
            // InterruptedIOException: either way the read ends here
            assertThrows(IOException.class, () -> in.readNBytes(EncryptingBlobStore.CHUNK));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is left for the caller");
        }
        assertEquals(List.of(), replicas.get(1).ranges, "an interrupted read tries no other replica");
    }

    @Test
    void anInterruptWhileOpeningTriesNoOtherReplica() throws Exception {
        BlobKey key = stored("v/int", random(3 * EncryptingBlobStore.CHUNK, 19));
        first.failAfter = 0;
        first.failure = () -> {
            Thread.currentThread().interrupt(); // the caller is interrupted while replica 0 is read
            return new InterruptedIOException("interrupted (test)");
        };
        replicas.forEach(r -> r.statCallers.clear());
        try {
            assertThrows(BlobStoreException.class, () -> store.get(key));
        } finally {
            assertTrue(Thread.interrupted(), "the interrupt is left for the caller");
        }
        for (Flaky other : replicas.subList(1, 3)) {
            // (the replicated store's own stats run on its pool, before the read)
            assertFalse(other.statCallers.contains(Thread.currentThread()), "an interrupted open tries no other replica");
            assertEquals(List.of(), other.ranges);
        }
    }

    @Test
    void aClosedReadOpensNothingMore() throws Exception {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK, 10);
        BlobKey key = stored("v/h", data);
        InputStream in = store.get(key);
        assertArrayEquals(Arrays.copyOf(data, 100), in.readNBytes(100));
        in.close();
        assertThrows(IOException.class, () -> in.read(new byte[100]));
        assertEquals(List.of(), replicas.get(1).ranges);
        assertEquals(List.of(), replicas.get(2).ranges);
    }

    @Test
    void aBlobNoReachableReplicaHoldsIsNotFoundThoughOneIsDown() throws Exception {
        first.down = true;
        assertEquals(BlobStoreException.Reason.NOT_FOUND,
                assertThrows(BlobStoreException.class, () -> store.get(BlobKey.of("v/none"))).reason(), "as stat says: empty");
        assertEquals(Optional.empty(), store.stat(BlobKey.of("v/none")));
        first.down = false;
        store.put(BlobKey.of("v/only0"), unknownLength(random(10, 11)));
        fs.get(1).delete(BlobKey.of("v/only0"));
        fs.get(2).delete(BlobKey.of("v/only0"));
        first.failAfter = 0;
        assertEquals(BlobStoreException.Reason.IO, assertThrows(BlobStoreException.class, () -> store.get(BlobKey.of("v/only0"))).reason(),
                "replica 0 holds it but could not deliver it: not a missing blob");
    }

    @Test
    void whenEveryCopyFailsMidReadTamperingIsWhatIsReported() throws Exception {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK, 12);
        BlobKey key = stored("v/i", data);
        // replica 0 goes away in chunk 1, replica 1's chunk 1 fails authentication, replica 2 goes away at once
        first.failAfter = CT_CHUNK + 10L;
        corruptChunk(1, "v/i", 1);
        replicas.get(2).failAfter = 10;
        try (InputStream in = store.get(key)) {
            BlobStoreException e = readUntilFailure(in, new ByteArrayOutputStream());
            assertEquals(BlobStoreException.Reason.INTEGRITY, e == null ? null : e.reason(), "tampering outranks the outages");
            assertEquals(1, e.getSuppressed().length, "the outages are attached: " + Arrays.toString(e.getSuppressed()));
        }
    }

    @Test
    void theReplicatedStoreReadsFromEachReplicaInOrder() throws Exception {
        BlobKey key = BlobKey.of("order");
        for (int i = 0; i < 3; i++) {
            fs.get(i).put(key, unknownLength(new byte[] {(byte) i}));
        }
        try (ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(fs.get(2)).build()) {
            List<BlobStore.ReadSource> sources = r.readSources(key);
            assertEquals(3, sources.size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(new byte[] {(byte) i}, readAll(sources.get(i).get(key, ByteRange.from(0))));
            }
        }
        assertEquals(1, fs.get(0).readSources(key).size());
    }

    @Test
    void aCorruptCopyOfAWriteThatReachedOnlyOneReplicaIsPassedOver() throws Exception {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK + 100, 31);
        BlobKey key = stored("v/damaged", data);
        Thread.sleep(20);
        // a write that reached only replica 0 (the put failed its quorum), whose copy then rots
        try (BlobStore onlyFirst = EncryptingBlobStore.wrap(fs.get(0), ring)) {
            onlyFirst.put(key, unknownLength(random(3 * EncryptingBlobStore.CHUNK, 32)));
        }
        corruptChunk(0, "v/damaged", 0);
        assertArrayEquals(data, readAll(store.get(key)), "the intact copies of the version before it are served");
        assertArrayEquals(Arrays.copyOfRange(data, 5, 105), readAll(store.get(key, ByteRange.of(5, 100))));
    }
}
