package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract over three filesystem replicas, plus corruption handling that needs file access. */
class ReplicatedBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;
    List<FileSystemBlobStore> fs;

    @Override
    protected BlobStore newStore() {
        fs = List.of(FileSystemBlobStore.open(dir.resolve("r0"), false), FileSystemBlobStore.open(dir.resolve("r1"), false),
                FileSystemBlobStore.open(dir.resolve("r2"), false));
        return ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(fs.get(2))
                .spoolDirectory(dir.resolve("spool")).build();
    }

    private void flipLastByte(int replica, String key) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(fs.get(replica).pathOf(BlobKey.of(key)).toFile(), "rw")) {
            f.seek(f.length() - 1);
            int b = f.read();
            f.seek(f.length() - 1);
            f.write(b ^ 1);
        }
    }

    @Test
    void readsFailOverPastACorruptCopyAndDeepRepairFixesIt() throws Exception {
        byte[] big = random(3 << 20, 77); // over the in-memory spool limit
        BlobKey key = BlobKey.of("media/big");
        store.put(key, unknownLength(big));
        flipLastByte(0, "media/big");
        assertArrayEquals(big, readAll(store.get(key)), "served from replica 1 after replica 0 failed its check");
        ReplicatedBlobStore r = (ReplicatedBlobStore) store;
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 0, 0), r.repair("", false), "a shallow repair trusts the digests");
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 1, 0, 0), r.repair("", true));
        assertArrayEquals(big, readAll(fs.get(0).get(key)));
    }

    @Test
    void allCopiesCorruptIsIntegrity() throws Exception {
        BlobKey key = BlobKey.of("x");
        store.put(key, unknownLength(random(1000, 1)));
        for (int i = 0; i < 3; i++) {
            flipLastByte(i, "x");
        }
        assertEquals(BlobStoreException.Reason.INTEGRITY, assertThrows(BlobStoreException.class, () -> store.get(key)).reason());
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 3, 0), ((ReplicatedBlobStore) store).repair("", true),
                "no copy to trust: all three are unrepairable");
    }

    @Test
    void aConditionalReplacementThatMostReplicasRefuseSaysChanged() throws Exception {
        // replica 0 (whose version stat reports) missed the latest put; the others hold a newer version
        BlobKey key = BlobKey.of("stale-first");
        byte[] v1 = random(2000, 14);
        byte[] v2 = random(2100, 15);
        store.put(key, unknownLength(v1));
        String seen = store.stat(key).orElseThrow().sha256().orElseThrow();
        fs.get(1).put(key, unknownLength(v2));
        fs.get(2).put(key, unknownLength(v2));
        assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                () -> store.replaceMetadataIf(key, seen, PutOptions.builder().metadata("a", "b").build())).reason(),
                "a reason to read again, not a lost quorum");
    }

    @Test
    void repairRestoresAMissingCopyWithItsMetadata() throws Exception {
        BlobKey key = BlobKey.of("m");
        byte[] data = random(5000, 2);
        store.put(key, unknownLength(data), PutOptions.builder().contentType("image/jpeg").metadata("a", "1").build());
        fs.get(2).delete(key);
        assertEquals(1, ((ReplicatedBlobStore) store).repair("", false).copiesRestored());
        BlobInfo restored = fs.get(2).stat(key).orElseThrow();
        assertEquals("image/jpeg", restored.contentType());
        assertEquals(java.util.Map.of("a", "1"), restored.metadata());
        assertArrayEquals(data, readAll(fs.get(2).get(key)));
    }

    @Test
    void repairCopiesFromAnotherGoodReplicaWhenTheNewestFailsItsCheck() throws Exception {
        BlobKey key = BlobKey.of("fallback");
        byte[] data = random(4000, 3);
        store.put(key, unknownLength(data));
        fs.get(2).delete(key);
        Thread.sleep(20);
        flipLastByte(0, "fallback"); // now the newest copy, and corrupt: a shallow repair still counts its digest
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 1, 0, 0), ((ReplicatedBlobStore) store).repair("", false));
        assertArrayEquals(data, readAll(fs.get(2).get(key)), "restored from replica 1");
    }

    @Test
    void repairOverwritesNothingOnATie() throws Exception {
        BlobKey key = BlobKey.of("tie");
        byte[] older = random(3000, 4);
        byte[] newer = random(3000, 5);
        fs.get(0).put(key, unknownLength(older));
        Thread.sleep(20);
        fs.get(1).put(key, unknownLength(newer));
        // one copy each: which write came last is not for clocks to say
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 2, 0), ((ReplicatedBlobStore) store).repair("", true));
        assertArrayEquals(older, readAll(fs.get(0).get(key)));
        assertArrayEquals(newer, readAll(fs.get(1).get(key)));
        assertEquals(Optional.empty(), fs.get(2).stat(key));
    }

    @Test
    void aCopyThatCannotBeReadNowNeitherVotesNorIsOverwritten() throws Exception {
        // replicas 0 and 1 hold v2; replica 1 cannot be read right now; replica 2 holds an older v1 written later
        // by its clock. Once, the unreadable copy counted as corrupt, the tie went to the "newest" v1, and v2 was
        // overwritten on replica 0.
        BlobKey key = BlobKey.of("flaky");
        byte[] v2 = random(3000, 6);
        byte[] v1 = random(3000, 7);
        fs.get(0).put(key, unknownLength(v2));
        fs.get(1).put(key, unknownLength(v2));
        Thread.sleep(20);
        fs.get(2).put(key, unknownLength(v1));
        ReplicatedBlobStore flaky = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(new Unreadable(fs.get(1)))
                .replica(fs.get(2)).spoolDirectory(dir.resolve("spool")).build();
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 2, 0), flaky.repair("", true));
        assertArrayEquals(v2, readAll(fs.get(0).get(key)));
        assertArrayEquals(v2, readAll(fs.get(1).get(key)));
        assertArrayEquals(v1, readAll(fs.get(2).get(key)));
        flaky.close(); // closes the filesystem replicas too, which hold nothing open
    }

    @Test
    void aBlobOverwrittenWhileItIsReadIsServedNotCalledCorrupt() throws Exception {
        // on every replica the copy changes between the replica's stat and its read, as when a put lands then:
        // each read fails the stat's digest, which once made the whole read fail with INTEGRITY
        BlobKey key = BlobKey.of("moving");
        byte[] older = random(4000, 12);
        byte[] newer = random(4100, 13);
        List<BlobStore> racing = new java.util.ArrayList<>();
        for (FileSystemBlobStore replica : fs) {
            replica.put(key, unknownLength(older));
            racing.add(new ForwardingBlobStore(replica) {
                boolean raced;

                @Override
                public InputStream get(BlobKey k) {
                    if (!raced) {
                        raced = true;
                        inner.put(k, unknownLength(newer));
                    }
                    return super.get(k);
                }
            });
        }
        ReplicatedBlobStore moving = ReplicatedBlobStore.builder().replica(racing.get(0)).replica(racing.get(1))
                .replica(racing.get(2)).spoolDirectory(dir.resolve("spool")).build();
        assertArrayEquals(newer, readAll(moving.get(key)));
        moving.close();
    }

    @Test
    void aSlowReplicaLaterInOrderDoesNotDelayReads() throws Exception {
        BlobKey key = BlobKey.of("media/quick");
        byte[] data = random(3000, 23);
        store.put(key, unknownLength(data));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        BlobStore slow = new ForwardingBlobStore(fs.get(2)) {
            @Override
            public Optional<BlobInfo> stat(BlobKey k) {
                try {
                    release.await(); // a region that hangs
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.stat(k);
            }
        };
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(slow)
                .spoolDirectory(dir.resolve("spool")).build();
        try {
            // a read takes the first replica that answers: one that hangs later in order is never waited for
            assertArrayEquals(data, assertTimeoutPreemptively(Duration.ofSeconds(10), () -> readAll(r.get(key))));
            assertEquals(3000, assertTimeoutPreemptively(Duration.ofSeconds(10), () -> r.stat(key).orElseThrow().size()));
        } finally {
            release.countDown();
            r.close();
        }
    }

    @Test
    void aCorruptCopyOfAWriteThatReachedOnlyOneReplicaIsPassedOver() throws Exception {
        BlobKey key = BlobKey.of("media/damaged");
        byte[] data = random(5000, 41);
        store.put(key, unknownLength(data));
        Thread.sleep(20);
        // a write that reached only replica 0 (the put failed its quorum), whose copy then rots
        fs.get(0).put(key, unknownLength(random(5200, 42)));
        flipLastByte(0, "media/damaged");
        assertArrayEquals(data, readAll(store.get(key)), "the intact copies of the version before it are served");
        // with every copy corrupt, the failure says so
        flipLastByte(1, "media/damaged");
        flipLastByte(2, "media/damaged");
        assertEquals(BlobStoreException.Reason.INTEGRITY, assertThrows(BlobStoreException.class, () -> store.get(key)).reason());
    }

    /** A replica that is out of reach: every call fails as unavailable. */
    private static class Down extends ForwardingBlobStore {
        Down(BlobStore inner) {
            super(inner);
        }

        static BlobStoreException down() {
            return new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "down");
        }

        @Override
        public Optional<BlobInfo> stat(BlobKey key) {
            throw down();
        }

        @Override
        public InputStream get(BlobKey key) {
            throw down();
        }

        @Override
        public BlobPage list(String prefix, String pageToken, int pageSize) {
            throw down();
        }
    }

    /** A replica on which a client's write lands just before each write the repair makes there. */
    private static final class ClientWritesFirst extends ForwardingBlobStore {
        private final byte[] clients;
        int landed;

        ClientWritesFirst(BlobStore inner, byte[] clients) {
            super(inner);
            this.clients = clients;
        }

        private void land(BlobKey key) {
            inner.put(key, new ByteArrayInputStream(clients));
            landed++;
        }

        @Override
        public BlobInfo put(BlobKey key, InputStream content, PutOptions options) {
            land(key);
            return inner.put(key, content, options);
        }

        @Override
        public BlobInfo putIfAbsent(BlobKey key, InputStream content, PutOptions options) {
            land(key);
            return inner.putIfAbsent(key, content, options);
        }

        @Override
        public BlobInfo putIf(BlobKey key, String expectedSha256, InputStream content, PutOptions options) {
            land(key);
            return inner.putIf(key, expectedSha256, content, options);
        }
    }

    @Test
    void aWriteLandingWhileTheRepairCopiesIsNeverOverwritten() throws Exception {
        byte[] older = random(2000, 60);
        byte[] leading = random(2100, 61);
        byte[] clients = random(2200, 62);
        BlobKey missing = BlobKey.of("race/missing");
        BlobKey stale = BlobKey.of("race/stale");
        fs.get(0).put(stale, unknownLength(older)); // replica 0 missed the latest put of one blob, and all of another
        for (int i = 1; i < 3; i++) {
            fs.get(i).put(missing, unknownLength(leading));
            fs.get(i).put(stale, unknownLength(leading));
        }
        ClientWritesFirst racing = new ClientWritesFirst(fs.get(0), clients);
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(racing).replica(fs.get(1)).replica(fs.get(2)).build();
        ReplicatedBlobStore.RepairReport report = r.repair("race/", false);
        assertEquals(2, racing.landed, "the repair went to copy both blobs to replica 0");
        assertEquals(new ReplicatedBlobStore.RepairReport(2, 0, 0, 0), report, "both copies changed under the repair");
        assertArrayEquals(clients, readAll(fs.get(0).get(missing)), "the write that landed first is kept");
        assertArrayEquals(clients, readAll(fs.get(0).get(stale)), "the write that landed first is kept");
    }

    @Test
    void aConditionalPutCountsTheReplicasThatHeldTheNamedVersion() throws Exception {
        BlobKey key = BlobKey.of("cond/quorum");
        byte[] v1 = random(1000, 63);
        byte[] v2 = random(1100, 64);
        byte[] v3 = random(1200, 65);
        String sha1 = store.put(key, unknownLength(v1)).sha256().orElseThrow();
        fs.get(2).put(key, unknownLength(v2)); // one replica moved on: the other two still make the quorum
        store.putIf(key, sha1, unknownLength(v3), PutOptions.defaults());
        assertArrayEquals(v3, readAll(fs.get(0).get(key)));
        assertArrayEquals(v3, readAll(fs.get(1).get(key)));
        assertArrayEquals(v2, readAll(fs.get(2).get(key)), "a replica holding another version is left alone");
        fs.get(1).put(key, unknownLength(v2)); // now two of three hold another version than the one named
        String sha3 = fs.get(0).stat(key).orElseThrow().sha256().orElseThrow();
        assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                () -> store.putIf(key, sha3, unknownLength(v1), PutOptions.defaults())).reason());
        assertArrayEquals(v3, readAll(fs.get(0).get(key)), "refused up front: the one replica that matched is untouched");
        assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                () -> store.putIfAbsent(key, unknownLength(v1), PutOptions.defaults())).reason());
    }

    /** A stream that fails the test if a put reads it: for puts that must be refused before any content is read. */
    private static InputStream mustNotBeRead() {
        return new InputStream() {
            @Override
            public int read() {
                throw new AssertionError("a refused conditional put read its content");
            }
        };
    }

    @Test
    void aReplicaWithoutConditionalPutsIsRepairedWithAPlainPut() throws Exception {
        BlobKey key = BlobKey.of("plain-repair");
        byte[] data = random(1000, 69);
        fs.get(1).put(key, unknownLength(data));
        fs.get(2).put(key, unknownLength(data));
        BlobStore noConditions = new ForwardingBlobStore(fs.get(0)) {
            @Override
            public BlobInfo putIfAbsent(BlobKey k, InputStream content, PutOptions options) {
                throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED, "no conditional writes here");
            }

            @Override
            public BlobInfo putIf(BlobKey k, String expectedSha256, InputStream content, PutOptions options) {
                throw new BlobStoreException(BlobStoreException.Reason.UNSUPPORTED, "no conditional writes here");
            }
        };
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(noConditions).replica(fs.get(1)).replica(fs.get(2)).build();
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 1, 0, 0), r.repair("", false));
        assertArrayEquals(data, readAll(fs.get(0).get(key)));
    }

    @Test
    void aConditionalPutRefusedUpFrontReadsAndWritesNothing() throws Exception {
        BlobKey key = BlobKey.of("cond/refused");
        byte[] v1 = random(1000, 66);
        String sha1 = store.put(key, unknownLength(v1)).sha256().orElseThrow();
        assertEquals(BlobStoreException.Reason.CHANGED, assertThrows(BlobStoreException.class,
                () -> store.putIfAbsent(key, mustNotBeRead(), PutOptions.defaults())).reason());
        // deleted on a quorum, and replica 2 missed it: the version named is gone, and replica 2 gets nothing
        fs.get(0).delete(key);
        fs.get(1).delete(key);
        assertEquals(BlobStoreException.Reason.NOT_FOUND, assertThrows(BlobStoreException.class,
                () -> store.putIf(key, sha1, mustNotBeRead(), PutOptions.defaults())).reason());
        assertArrayEquals(v1, readAll(fs.get(2).get(key)));
        ReplicatedBlobStore twoAway = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(new Away(fs.get(1)))
                .replica(new Away(fs.get(2))).build();
        assertEquals(BlobStoreException.Reason.QUORUM_NOT_REACHED, assertThrows(BlobStoreException.class,
                () -> twoAway.putIfAbsent(key, mustNotBeRead(), PutOptions.defaults())).reason());
        assertEquals(Optional.empty(), fs.get(0).stat(key));
    }

    @Test
    void conditionalPutsNeedAQuorumOverHalfTheReplicas() {
        ReplicatedBlobStore one = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(fs.get(2))
                .writeQuorum(1).build();
        // with W = 1, two puts if absent could each find a different replica free and both succeed
        assertEquals(BlobStoreException.Reason.UNSUPPORTED, assertThrows(BlobStoreException.class,
                () -> one.putIfAbsent(BlobKey.of("k"), mustNotBeRead(), PutOptions.defaults())).reason());
        assertEquals(BlobStoreException.Reason.UNSUPPORTED, assertThrows(BlobStoreException.class,
                () -> one.putIf(BlobKey.of("k"), "00", mustNotBeRead(), PutOptions.defaults())).reason());
    }

    @Test
    void aConditionalPutOverEncryptingReplicasIsUnsupported() {
        KeyRing ring = KeyRing.builder().add("m1", random(32, 67)).build();
        ReplicatedBlobStore sealed = ReplicatedBlobStore.builder().replica(EncryptingBlobStore.wrap(fs.get(0), ring))
                .replica(EncryptingBlobStore.wrap(fs.get(1), ring)).replica(EncryptingBlobStore.wrap(fs.get(2), ring)).build();
        BlobKey key = BlobKey.of("sealed");
        String sha = sealed.put(key, unknownLength(random(100, 68))).sha256().orElseThrow();
        assertEquals(BlobStoreException.Reason.UNSUPPORTED, assertThrows(BlobStoreException.class,
                () -> sealed.putIf(key, sha, mustNotBeRead(), PutOptions.defaults())).reason());
    }

    @Test
    void aPutThatCanNoLongerReachTheQuorumStopsReadingAndStoresNothing() {
        ReplicatedBlobStore twoAway = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(new Away(fs.get(1)))
                .replica(new Away(fs.get(2))).build();
        long total = 64L << 20;
        java.util.concurrent.atomic.AtomicLong read = new java.util.concurrent.atomic.AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return read.getAndIncrement() < total ? 0 : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                long left = total - read.get();
                if (left <= 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                read.addAndGet(n);
                return n;
            }
        };
        BlobKey key = BlobKey.of("abandoned");
        assertEquals(BlobStoreException.Reason.QUORUM_NOT_REACHED, assertThrows(BlobStoreException.class,
                () -> twoAway.put(key, endless, PutOptions.defaults())).reason());
        assertTrue(read.get() < total / 8, "read " + read.get() + " bytes for a put two of three replicas had refused");
        assertEquals(Optional.empty(), fs.get(0).stat(key), "the one replica still taking it stores nothing");
    }

    /** A replica that is out of reach for writes as well as reads. */
    private static final class Away extends Down {
        Away(BlobStore inner) {
            super(inner);
        }

        @Override
        public BlobInfo put(BlobKey key, InputStream content, PutOptions options) {
            throw down();
        }

        @Override
        public void delete(BlobKey key) {
            throw down();
        }

        @Override
        public BlobInfo replaceMetadata(BlobKey key, PutOptions options) {
            throw down();
        }

        @Override
        public BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
            throw down();
        }
    }

    @Test
    void aDeleteThatMissedAReplicaIsFinishedByRepairNotUndone() throws Exception {
        BlobKey key = BlobKey.of("private/photo");
        byte[] data = random(3000, 70);
        store.put(key, unknownLength(data));
        // replica 2 is away during the delete: the quorum of 2 takes it
        ReplicatedBlobStore withoutTwo = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1))
                .replica(new Away(fs.get(2))).build();
        withoutTwo.delete(key);
        assertTrue(fs.get(2).stat(key).isPresent(), "replica 2 missed the delete");
        ReplicatedBlobStore.RepairReport report = ((ReplicatedBlobStore) store).repair("", false);
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 0, 1), report, "the stray copy is removed, not restored");
        for (FileSystemBlobStore f : fs) {
            assertEquals(Optional.empty(), f.stat(key));
        }
        assertEquals(Optional.empty(), store.stat(key));
        assertEquals(new ReplicatedBlobStore.RepairReport(0, 0, 0, 0), ((ReplicatedBlobStore) store).repair("", false));
    }

    @Test
    void aPutAfterADeleteIsRestoredOnAReplicaThatMissedIt() throws Exception {
        BlobKey key = BlobKey.of("again");
        store.put(key, unknownLength(random(1000, 71)));
        store.delete(key);
        byte[] second = random(1200, 72);
        ReplicatedBlobStore withoutTwo = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1))
                .replica(new Away(fs.get(2))).build();
        withoutTwo.put(key, unknownLength(second));
        BlobKey tombstone = ReplicatedBlobStore.tombstoneOf(key);
        assertEquals(Optional.empty(), fs.get(0).stat(tombstone), "the put cleared the tombstone where it landed");
        assertTrue(fs.get(2).stat(tombstone).isPresent());
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 1, 0, 0), ((ReplicatedBlobStore) store).repair("", false),
                "two copies of the put against one delete");
        assertArrayEquals(second, readAll(fs.get(2).get(key)));
        assertEquals(Optional.empty(), fs.get(2).stat(tombstone), "the repair copy cleared it too");
    }

    @Test
    void aLeadingDeleteBelowTheThresholdKeepsTheCopy() throws Exception {
        BlobKey key = BlobKey.of("threshold");
        byte[] data = random(100, 73);
        store.put(key, unknownLength(data));
        ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(new Away(fs.get(2))).build().delete(key);
        // at a write quorum of 1, a put acknowledged by replica 2 alone may be missing from the others: two votes
        // for the delete are not enough (N - W + 1 = 3) to remove its copy
        ReplicatedBlobStore w1 = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(fs.get(2))
                .writeQuorum(1).build();
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 1, 0), w1.repair("", false));
        assertArrayEquals(data, readAll(fs.get(2).get(key)));
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 0, 1), ((ReplicatedBlobStore) store).repair("", false),
                "at the default quorum the same two votes are enough");
    }

    @Test
    void aPutWhoseCopyLooksOlderThanADeleteIsNeverTakenForDeleted() throws Exception {
        // S3 stamps a multipart object with the time its upload began, so a put that began before a delete and
        // ended after it has a copy that looks older than the tombstone: what a tombstone deletes goes by digest
        BlobKey key = BlobKey.of("long-upload");
        store.put(key, unknownLength(random(100, 74)));
        java.time.Instant began = java.time.Instant.now().minusSeconds(5);
        store.delete(key);
        byte[] data = random(200, 75);
        for (FileSystemBlobStore f : fs) {
            f.put(key, unknownLength(data)); // the put's copies land, the tombstones still there
            Files.setLastModifiedTime(f.pathOf(key), java.nio.file.attribute.FileTime.from(began));
        }
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 0, 0), ((ReplicatedBlobStore) store).repair("", false));
        assertArrayEquals(data, readAll(store.get(key)));
    }

    @Test
    void aDeleteWhoseBlobRemovalFailedIsFinishedWhateverTheClocksSay() throws Exception {
        BlobKey key = BlobKey.of("same-second");
        store.put(key, unknownLength(random(100, 76)));
        BlobStore keepsBlob = new ForwardingBlobStore(fs.get(0)) {
            @Override
            public void delete(BlobKey k) {
                if (k.equals(key)) {
                    throw new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "lost");
                }
                super.delete(k);
            }
        };
        ReplicatedBlobStore.builder().replica(keepsBlob).replica(fs.get(1)).replica(fs.get(2)).build().delete(key);
        Files.setLastModifiedTime(fs.get(0).pathOf(ReplicatedBlobStore.tombstoneOf(key)),
                Files.getLastModifiedTime(fs.get(0).pathOf(key))); // one S3 second for both
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 0, 1), ((ReplicatedBlobStore) store).repair("", false));
        assertEquals(Optional.empty(), fs.get(0).stat(key));
    }

    @Test
    void damagedCopiesDoNotVoteForAnEarlierDelete() throws Exception {
        BlobKey key = BlobKey.of("damaged-after-delete");
        store.put(key, unknownLength(random(100, 77)));
        store.delete(key);
        byte[] v2 = random(3000, 78);
        store.put(key, unknownLength(v2));
        for (int i = 0; i < 2; i++) {
            try (RandomAccessFile f = new RandomAccessFile(fs.get(i).pathOf(key).toFile(), "rw")) {
                f.setLength(3); // cut short by a crash
            }
        }
        ReplicatedBlobStore.RepairReport report = ((ReplicatedBlobStore) store).repair("", false);
        assertEquals(0, report.copiesDeleted(), report.toString());
        assertArrayEquals(v2, readAll(fs.get(2).get(key)), "the one intact copy of the put stays");
    }

    @Test
    void aDamagedTombstoneDoesNotBlockTheRepair() throws Exception {
        BlobKey key = BlobKey.of("damaged-tomb");
        store.put(key, unknownLength(random(100, 79)));
        store.delete(key);
        try (RandomAccessFile f = new RandomAccessFile(fs.get(0).pathOf(ReplicatedBlobStore.tombstoneOf(key)).toFile(), "rw")) {
            f.setLength(3);
        }
        byte[] v2 = random(100, 80);
        ReplicatedBlobStore.builder().replica(new Away(fs.get(0))).replica(fs.get(1)).replica(fs.get(2)).build()
                .put(key, unknownLength(v2));
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 1, 0, 0), ((ReplicatedBlobStore) store).repair("", false));
        assertArrayEquals(v2, readAll(fs.get(0).get(key)));
        assertEquals(Optional.empty(), fs.get(0).stat(ReplicatedBlobStore.tombstoneOf(key)), "the damaged tombstone is gone");
    }

    @Test
    void aDeleteLandingWhileTheRepairDropsTombstonesKeepsItsOwn() throws Exception {
        BlobKey key = BlobKey.of("gc-race");
        store.put(key, unknownLength(random(100, 81)));
        store.delete(key);
        BlobKey tombstone = ReplicatedBlobStore.tombstoneOf(key);
        for (FileSystemBlobStore f : fs) {
            Files.setLastModifiedTime(f.pathOf(tombstone), java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Duration.ofHours(2))));
        }
        ReplicatedBlobStore clientWithoutTwo = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1))
                .replica(new Away(fs.get(2))).build();
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean landed = new java.util.concurrent.atomic.AtomicBoolean();
        BlobStore hooked = new ForwardingBlobStore(fs.get(0)) {
            @Override
            public Optional<BlobInfo> stat(BlobKey k) {
                if (k.equals(tombstone) && looks.incrementAndGet() == 2) {
                    // the repair found the delete settled (first look); before its last look at this tombstone a
                    // client puts the key again everywhere, then deletes it with replica 2 away
                    store.put(key, unknownLength(random(100, 82)));
                    clientWithoutTwo.delete(key);
                    landed.set(true);
                }
                return super.stat(k);
            }
        };
        ReplicatedBlobStore.builder().replica(hooked).replica(fs.get(1)).replica(fs.get(2)).build().repair("", false);
        assertTrue(landed.get());
        assertTrue(fs.get(0).stat(tombstone).isPresent(), "the client's fresh tombstone stays");
        ((ReplicatedBlobStore) store).repair("", false);
        assertEquals(Optional.empty(), store.stat(key), "the client's delete is finished, not undone");
    }

    @Test
    void aRotationThatMissedAnUnreachableReplicaSaysSo() throws Exception {
        byte[] m1 = random(32, 83);
        byte[] m2 = random(32, 84);
        BlobKey key = BlobKey.of("rot");
        EncryptingBlobStore.wrap(store, KeyRing.builder().add("m1", m1).build()).put(key, unknownLength(random(100, 85)));
        KeyRing rotated = KeyRing.builder().add("m1", m1).add("m2", m2).primary("m2").build();
        ReplicatedBlobStore twoAway = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1))
                .replica(new Away(fs.get(2))).build();
        assertEquals(new EncryptingBlobStore.RewrapReport(1, 1, 0, 1), EncryptingBlobStore.wrap(twoAway, rotated).rewrapAll(""),
                "replica 2's copy, out of reach, may still be under m1");
        assertEquals("m1", EncryptingBlobStore.wrap(fs.get(2), rotated).masterKeyIdOf(key));
        assertEquals(new EncryptingBlobStore.RewrapReport(1, 1, 0, 0), EncryptingBlobStore.wrap(store, rotated).rewrapAll(""));
    }

    /** A replica whose deletes of reserved keys (tombstones) fail: a blip right after a write. */
    private static final class ClearFails extends ForwardingBlobStore {
        ClearFails(BlobStore inner) {
            super(inner);
        }

        @Override
        public void delete(BlobKey key) {
            if (key.value().startsWith(ReplicatedBlobStore.RESERVED_PREFIX)) {
                throw new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "blip");
            }
            super.delete(key);
        }
    }

    @Test
    void aWriteCountsOnAReplicaOnlyOnceItsTombstoneIsCleared() throws Exception {
        // the same bytes put again after a delete: a tombstone left beside them would name them
        BlobKey key = BlobKey.of("again-same");
        byte[] data = random(1000, 86);
        store.put(key, unknownLength(data));
        store.delete(key);
        ReplicatedBlobStore clearsFail = ReplicatedBlobStore.builder().replica(new ClearFails(fs.get(0)))
                .replica(new ClearFails(fs.get(1))).replica(fs.get(2)).build();
        assertEquals(BlobStoreException.Reason.QUORUM_NOT_REACHED, assertThrows(BlobStoreException.class,
                () -> clearsFail.put(key, unknownLength(data))).reason(), "not acknowledged: two replicas kept tombstones");
        ReplicatedBlobStore oneFails = ReplicatedBlobStore.builder().replica(new ClearFails(fs.get(0)))
                .replica(fs.get(1)).replica(fs.get(2)).build();
        oneFails.put(key, unknownLength(data)); // acknowledged by replicas 1 and 2
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 0, 0), ((ReplicatedBlobStore) store).repair("", false),
                "replica 0 holds the bytes already: only its tombstone goes, nothing is copied");
        assertEquals(Optional.empty(), fs.get(0).stat(ReplicatedBlobStore.tombstoneOf(key)), "the repair cleared it");
        for (FileSystemBlobStore f : fs) {
            assertArrayEquals(data, readAll(f.get(key)));
        }
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 0, 0), ((ReplicatedBlobStore) store).repair("", false),
                "nothing is copied again on the next pass");
    }

    @Test
    void aDeleteLandingDuringARepairCopyIsNotUndone() throws Exception {
        BlobKey key = BlobKey.of("copy-race");
        ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(new Away(fs.get(2))).build()
                .put(key, unknownLength(random(1000, 87)));
        ReplicatedBlobStore clientWithoutZero = ReplicatedBlobStore.builder().replica(new Away(fs.get(0)))
                .replica(fs.get(1)).replica(fs.get(2)).build();
        java.util.concurrent.atomic.AtomicBoolean deleted = new java.util.concurrent.atomic.AtomicBoolean();
        BlobStore hooked = new ForwardingBlobStore(fs.get(2)) {
            @Override
            public BlobInfo putIfAbsent(BlobKey k, InputStream content, PutOptions options) {
                if (k.equals(key) && deleted.compareAndSet(false, true)) {
                    clientWithoutZero.delete(key); // acknowledged by replicas 1 and 2 while the repair copies to 2
                }
                return super.putIfAbsent(k, content, options);
            }
        };
        ReplicatedBlobStore.RepairReport report = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1))
                .replica(hooked).build().repair("", false);
        assertTrue(deleted.get());
        assertEquals(0, report.copiesRestored(), report.toString());
        ((ReplicatedBlobStore) store).repair("", false);
        assertEquals(Optional.empty(), store.stat(key), "the delete is finished, not undone");
        for (FileSystemBlobStore f : fs) {
            assertEquals(Optional.empty(), f.stat(key));
        }
    }

    @Test
    void aRotationGoesOnPastAStrayCopyOfADeletedBlobAndCountsOtherVersions() throws Exception {
        byte[] m1 = random(32, 88);
        byte[] m2 = random(32, 89);
        KeyRing old = KeyRing.builder().add("m1", m1).build();
        EncryptingBlobStore.wrap(store, old).put(BlobKey.of("a-deleted"), unknownLength(random(100, 90)));
        EncryptingBlobStore.wrap(store, old).put(BlobKey.of("b-kept"), unknownLength(random(100, 91)));
        ReplicatedBlobStore.builder().replica(new Away(fs.get(0))).replica(fs.get(1)).replica(fs.get(2)).build()
                .delete(BlobKey.of("a-deleted")); // replica 0 keeps a stray copy
        KeyRing rotated = KeyRing.builder().add("m1", m1).add("m2", m2).primary("m2").build();
        EncryptingBlobStore.RewrapReport report = EncryptingBlobStore.wrap(store, rotated).rewrapAll("");
        assertEquals(2, report.blobsChecked(), report.toString());
        assertEquals(1, report.failed(), "the stray copy: repair first");
        assertEquals("m2", EncryptingBlobStore.wrap(fs.get(1), rotated).masterKeyIdOf(BlobKey.of("b-kept")),
                "the pass went on to the next blob");
        // a version other than the one re-wrapped, under the old key, is counted too
        EncryptingBlobStore.wrap(fs.get(2), old).put(BlobKey.of("b-kept"), unknownLength(random(100, 92)));
        assertEquals(1, EncryptingBlobStore.wrap(store, rotated).rewrapAll("b-").copiesUnconfirmed());
    }

    @Test
    void aRotationGoesOnPastABlobWithADamagedCopyButEndsWhenReplicasAreAway() throws Exception {
        byte[] m1 = random(32, 94);
        byte[] m2 = random(32, 95);
        KeyRing old = KeyRing.builder().add("m1", m1).build();
        EncryptingBlobStore.wrap(store, old).put(BlobKey.of("a-damaged"), unknownLength(random(100, 96)));
        EncryptingBlobStore.wrap(store, old).put(BlobKey.of("b-kept"), unknownLength(random(100, 97)));
        fs.get(2).delete(BlobKey.of("a-damaged"));
        try (RandomAccessFile f = new RandomAccessFile(fs.get(1).pathOf(BlobKey.of("a-damaged")).toFile(), "rw")) {
            f.setLength(3);
        }
        KeyRing rotated = KeyRing.builder().add("m1", m1).add("m2", m2).primary("m2").build();
        EncryptingBlobStore.RewrapReport report = EncryptingBlobStore.wrap(store, rotated).rewrapAll("");
        assertEquals(1, report.failed(), report.toString());
        assertEquals(1, report.rewrapped(), "the pass went on to the next blob: " + report);
        ReplicatedBlobStore twoAway = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(new Away(fs.get(1)))
                .replica(new Away(fs.get(2))).build();
        KeyRing next = KeyRing.builder().add("m1", m1).add("m2", m2).add("m3", random(32, 98)).primary("m3").build();
        assertThrows(BlobStoreException.class, () -> EncryptingBlobStore.wrap(twoAway, next).rewrapAll("b-"),
                "two replicas away: the pass ends rather than counting every blob failed");
    }

    @Test
    void aDeepRepairRestoresACorruptCopyBesideATombstoneNamingIt() throws Exception {
        BlobKey key = BlobKey.of("corrupt-beside-tombstone");
        byte[] data = random(1000, 93);
        store.put(key, unknownLength(data));
        store.delete(key);
        ReplicatedBlobStore.builder().replica(new ClearFails(fs.get(0))).replica(fs.get(1)).replica(fs.get(2)).build()
                .put(key, unknownLength(data)); // acknowledged by 1 and 2; replica 0 keeps its tombstone
        flipLastByte(0, "corrupt-beside-tombstone");
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 1, 0, 0), ((ReplicatedBlobStore) store).repair("", true));
        assertArrayEquals(data, readAll(fs.get(0).get(key)));
    }

    @Test
    void aReplicaThatRefusesTombstonesFailsLoudly() {
        ReplicatedBlobStore inner = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).build();
        BlobStore wrapped = new ForwardingBlobStore(inner) { };
        ReplicatedBlobStore outer = ReplicatedBlobStore.builder().replica(wrapped).replica(fs.get(2)).writeQuorum(2).build();
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> outer.delete(BlobKey.of("k")));
        assertTrue(e.getCause() instanceof BlobStoreException c && c.reason() == BlobStoreException.Reason.UNSUPPORTED
                && c.getMessage().contains("tombstones"), "the replica's refusal is the cause: " + e.getCause());
    }

    @Test
    void aReplicatedStoreIsNoReplicaOfAnother() {
        ReplicatedBlobStore inner = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).build();
        assertThrows(IllegalArgumentException.class, () -> ReplicatedBlobStore.builder().replica(inner).replica(fs.get(2)).build());
    }

    @Test
    void tombstonesAreHiddenReservedAndRemovedOnceSettled() throws Exception {
        BlobKey key = BlobKey.of("gone");
        store.put(key, unknownLength(random(100, 74)));
        store.delete(key);
        BlobKey tombstone = ReplicatedBlobStore.tombstoneOf(key);
        for (FileSystemBlobStore f : fs) {
            assertTrue(f.stat(tombstone).isPresent());
        }
        assertEquals(List.of(), store.listAll("").toList(), "a listing shows no tombstone");
        assertEquals(InvalidBlobKeyException.Reason.RESERVED, assertThrows(InvalidBlobKeyException.class,
                () -> store.get(tombstone)).reason());
        assertEquals(InvalidBlobKeyException.Reason.RESERVED, assertThrows(InvalidBlobKeyException.class,
                () -> store.put(BlobKey.of(ReplicatedBlobStore.RESERVED_PREFIX + "x"), unknownLength(new byte[1]))).reason());
        assertEquals(InvalidBlobKeyException.Reason.RESERVED, assertThrows(InvalidBlobKeyException.class,
                () -> store.list(ReplicatedBlobStore.RESERVED_PREFIX, null, 10)).reason());
        assertEquals(InvalidBlobKeyException.Reason.RESERVED, assertThrows(InvalidBlobKeyException.class,
                () -> store.readSources(BlobKey.of("any")).get(0).stat(tombstone)).reason());
        ReplicatedBlobStore r = (ReplicatedBlobStore) store;
        r.repair("", false);
        assertTrue(fs.get(0).stat(tombstone).isPresent(), "a fresh tombstone may belong to a delete in progress");
        for (FileSystemBlobStore f : fs) {
            Files.setLastModifiedTime(f.pathOf(tombstone), java.nio.file.attribute.FileTime.from(
                    java.time.Instant.now().minus(Duration.ofHours(2))));
        }
        r.repair("other/", false);
        assertTrue(fs.get(0).stat(tombstone).isPresent(), "a repair of another prefix leaves it");
        r.repair("", false);
        for (FileSystemBlobStore f : fs) {
            assertEquals(Optional.empty(), f.stat(tombstone), "every replica settled the delete: the tombstone goes");
        }
    }

    @Test
    void repairNeverReplacesAnAcknowledgedWriteWhoseReplicasAreOutOfReach() throws Exception {
        List<FileSystemBlobStore> five = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(FileSystemBlobStore.open(dir.resolve("five-" + i), false));
        }
        BlobKey key = BlobKey.of("repair/acknowledged");
        byte[] v1 = random(2000, 51);
        byte[] v2 = random(2000, 52);
        for (FileSystemBlobStore f : five) {
            f.put(key, unknownLength(v1));
        }
        Thread.sleep(20);
        for (int i = 0; i < 3; i++) {
            five.get(i).put(key, unknownLength(v2)); // acknowledged at the default quorum of 3 of 5
        }
        // replicas 1 and 2 are out of reach: v1 now has two copies in sight, v2 one
        ReplicatedBlobStore partial = ReplicatedBlobStore.builder().replica(five.get(0)).replica(new Down(five.get(1)))
                .replica(new Down(five.get(2))).replica(five.get(3)).replica(five.get(4)).build();
        ReplicatedBlobStore.RepairReport report = partial.repair("", false);
        assertArrayEquals(v2, readAll(five.get(0).get(key)), "the acknowledged write survives");
        assertEquals(0, report.copiesRestored(), report.toString());
        // with every replica in reach, v2 (3 of 5) replaces the older copies
        ReplicatedBlobStore whole = ReplicatedBlobStore.builder().replica(five.get(0)).replica(five.get(1))
                .replica(five.get(2)).replica(five.get(3)).replica(five.get(4)).build();
        assertEquals(2, whole.repair("", false).copiesRestored());
        assertArrayEquals(v2, readAll(five.get(4).get(key)));
        whole.close();
    }

    @Test
    void aCorruptCopyOfAnAcknowledgedWriteIsNotReplacedByAMinorityVersion() throws Exception {
        BlobKey key = BlobKey.of("repair/rotted");
        byte[] v1 = random(2000, 55);
        byte[] v2 = random(2000, 56);
        for (FileSystemBlobStore f : fs) {
            f.put(key, unknownLength(v1));
        }
        Thread.sleep(20);
        fs.get(0).put(key, unknownLength(v2)); // acknowledged at quorum 2 of 3
        fs.get(1).put(key, unknownLength(v2));
        flipLastByte(0, "repair/rotted");      // and replica 0's copy rots
        // a deep repair while replica 1 is out of reach: v1 has 1 of 3 votes, not most of all replicas
        ReplicatedBlobStore partial = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(new Down(fs.get(1)))
                .replica(fs.get(2)).build();
        assertEquals(0, partial.repair("", true).copiesRestored());
        // replica 1 is back: v2 (2 of 3, replica 0's copy recorded as v2) wins and replaces both other copies
        assertEquals(2, ((ReplicatedBlobStore) store).repair("", true).copiesRestored());
        for (FileSystemBlobStore f : fs) {
            assertArrayEquals(v2, readAll(f.get(key)));
        }
    }

    @Test
    void repairKeepsAWriteAcknowledgedAtAQuorumBelowAMajority() throws Exception {
        BlobKey key = BlobKey.of("repair/q1");
        byte[] v1 = random(2000, 91);
        byte[] v2 = random(2000, 92);
        ReplicatedBlobStore q1 = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(fs.get(2))
                .writeQuorum(1).build();
        q1.put(key, unknownLength(v1));
        Thread.sleep(20);
        fs.get(0).put(key, unknownLength(v2)); // acknowledged at the configured quorum of 1 while 1 and 2 were down
        ReplicatedBlobStore.RepairReport report = q1.repair("", false);
        assertArrayEquals(v2, readAll(fs.get(0).get(key)), "the acknowledged write survives: " + report);
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 1, 0), report);
    }

    @Test
    void aReplicaLostDuringTheRepairIsCountedUnrepairable() throws Exception {
        BlobKey key = BlobKey.of("repair/lost");
        store.put(key, unknownLength(random(100, 96)));
        fs.get(2).delete(key);
        java.util.concurrent.atomic.AtomicInteger stats = new java.util.concurrent.atomic.AtomicInteger();
        BlobStore flaky = new ForwardingBlobStore(fs.get(2)) {
            @Override
            public Optional<BlobInfo> stat(BlobKey k) {
                if (stats.incrementAndGet() > 1) {
                    throw new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "down");
                }
                return super.stat(k);
            }
        };
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).replica(flaky).build();
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 1, 0), r.repair("", false));
    }

    @Test
    void repairRestoresACopyWhoseFileIsCutShort() throws Exception {
        BlobKey key = BlobKey.of("repair/truncated");
        byte[] data = random(3000, 57);
        store.put(key, unknownLength(data));
        damage(0, "repair/truncated"); // a crash with fsync off: even the stat of replica 0's copy fails INTEGRITY
        ReplicatedBlobStore r = (ReplicatedBlobStore) store;
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 1, 0, 0), r.repair("", false));
        assertArrayEquals(data, readAll(fs.get(0).get(key)));
        assertEquals(new ReplicatedBlobStore.RepairReport(1, 0, 0, 0), r.repair("", true));
    }

    @Test
    void aBlobWithMetadataOtherToolsWroteDoesNotStopTheRepairOfTheOthers() throws Exception {
        BlobKey foreign = BlobKey.of("a/foreign");
        BlobKey missing = BlobKey.of("b/missing");
        store.put(foreign, unknownLength(random(100, 53)));
        Thread.sleep(20);
        fs.get(1).put(foreign, unknownLength(random(100, 53))); // the same bytes, the newest copy
        fs.get(0).put(missing, unknownLength(random(100, 54)));
        fs.get(1).put(missing, unknownLength(random(100, 54)));
        // as an S3 console adds a name these options cannot carry
        BlobStore odd = new ForwardingBlobStore(fs.get(1)) {
            @Override
            public Optional<BlobInfo> stat(BlobKey k) {
                return super.stat(k).map(i -> !k.equals(foreign) ? i : new BlobInfo(i.key(), i.size(), i.sha256(), i.contentType(),
                        java.util.Map.of("owner_id", "x"), i.lastModified()));
            }
        };
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(odd).replica(fs.get(2)).build();
        ReplicatedBlobStore.RepairReport report = r.repair("", false);
        assertEquals(2, report.blobsChecked());
        assertEquals(1, report.copiesRestored(), report.toString());
        assertTrue(fs.get(2).stat(missing).isPresent(), "the other blob was repaired");
    }

    /** A replica whose whole and range reads fail as unavailable; everything else passes through. */
    private static final class Unreadable extends ForwardingBlobStore {
        Unreadable(BlobStore inner) {
            super(inner);
        }

        @Override
        public InputStream get(BlobKey key) {
            throw new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "timed out");
        }

        @Override
        public InputStream get(BlobKey key, ByteRange range) {
            throw new BlobStoreException(BlobStoreException.Reason.UNAVAILABLE, "timed out");
        }
    }

    @Test
    void aSourceFailingUncheckedEndsEveryReplicasPut() throws Exception {
        // once, an unchecked exception from the source left each replica's thread waiting for the next chunk
        // forever, holding its temporary file
        InputStream failing = new InputStream() {
            long left = 3L << 20;

            @Override
            public int read() {
                return read(new byte[1], 0, 1) < 0 ? -1 : 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left <= 0) {
                    throw new java.io.UncheckedIOException(new java.io.IOException("the network went away"));
                }
                int n = (int) Math.min(len, left);
                left -= n;
                return n;
            }
        };
        assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> assertThrows(java.io.UncheckedIOException.class, () -> store.put(BlobKey.of("unchecked"), failing)));
        for (FileSystemBlobStore replica : fs) {
            assertEquals(Optional.empty(), replica.stat(BlobKey.of("unchecked")));
            try (Stream<Path> temps = Files.list(replica.root().resolve("tmp"))) {
                assertEquals(List.of(), temps.toList(), "the replica removed its temporary file");
            }
        }
        // and the store still works
        store.put(BlobKey.of("after"), new ByteArrayInputStream(new byte[] {1, 2, 3}));
        assertArrayEquals(new byte[] {1, 2, 3}, store.get(BlobKey.of("after")).readAllBytes());
    }

    @Test
    void anInterruptAfterTheLastChunkStillEndsEveryReplicasPut() throws Exception {
        // once, the end of the stream was handed to the replicas outside the code that ends their puts on failure:
        // an interrupt there made put throw while every replica thread waited for more data, keeping its temp file
        java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(3);
        List<BlobStore> watched = fs.stream().<BlobStore>map(f -> new ForwardingBlobStore(f) {
            @Override
            public BlobInfo put(BlobKey key, InputStream content, PutOptions options) {
                try {
                    return super.put(key, content, options);
                } finally {
                    ended.countDown();
                }
            }
        }).toList();
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(watched.get(0)).replica(watched.get(1))
                .replica(watched.get(2)).spoolDirectory(dir.resolve("spool")).build();
        InputStream interruptedAtTheEnd = new InputStream() {
            int left = 512 * 1024; // whole chunks: the read that finds the end comes after the last chunk went out

            @Override
            public int read() {
                return read(new byte[1], 0, 1) < 0 ? -1 : 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (left == 0) {
                    Thread.currentThread().interrupt(); // the caller is interrupted just as its upload ends
                    return -1;
                }
                int n = Math.min(len, left);
                java.util.Arrays.fill(b, off, off + n, (byte) 7);
                left -= n;
                return n;
            }
        };
        try {
            assertThrows(BlobStoreException.class, () -> r.put(BlobKey.of("interrupted"), interruptedAtTheEnd));
            assertEquals(true, Thread.interrupted(), "put keeps the caller's interrupt");
            assertEquals(true, ended.await(5, java.util.concurrent.TimeUnit.SECONDS),
                    ended.getCount() + " of 3 replica puts still wait for data after put failed");
        } finally {
            Thread.interrupted();
            r.close();
        }
        for (FileSystemBlobStore replica : fs) {
            assertEquals(Optional.empty(), replica.stat(BlobKey.of("interrupted")));
            try (Stream<Path> temps = Files.list(replica.root().resolve("tmp"))) {
                assertEquals(List.of(), temps.toList(), "the replica removed its temporary file");
            }
        }
    }

    /** Makes a blob's file unreadable: the filesystem listing leaves it out, yet counts it towards the page. */
    private void damage(int replica, String key) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(fs.get(replica).pathOf(BlobKey.of(key)).toFile(), "rw")) {
            f.setLength(3);
        }
    }

    private static List<String> listEverything(BlobStore s, int pageSize) {
        List<String> all = new java.util.ArrayList<>();
        String token = null;
        do {
            BlobPage page = s.list("", token, pageSize);
            page.items().forEach(i -> all.add(i.key().value()));
            token = page.nextPageToken().orElse(null);
        } while (token != null);
        return all;
    }

    @Test
    void aListingDoesNotSkipKeysBehindAReplicasShortPage() throws Exception {
        // replica 0's first page of 2 looks at a1, a2, a3, all damaged: empty, with a token after a3. The merge once
        // cut the union at 2 keys (b1, b2) and went on after b2, so b0, which only replica 0 holds, was never listed
        for (String k : List.of("a1", "a2", "a3", "b0")) {
            fs.get(0).put(BlobKey.of(k), new ByteArrayInputStream(new byte[5]));
        }
        damage(0, "a1");
        damage(0, "a2");
        damage(0, "a3");
        fs.get(1).put(BlobKey.of("b1"), new ByteArrayInputStream(new byte[5]));
        fs.get(1).put(BlobKey.of("b2"), new ByteArrayInputStream(new byte[5]));
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).build();
        assertEquals(List.of("b0", "b1", "b2"), listEverything(r, 2));
        r.close();
    }

    @Test
    void aListingDoesNotEndAtAnEmptyMergedPage() throws Exception {
        // the merged first page is empty, but replica 0 still has b0 after its damaged files: the page must say so
        for (String k : List.of("a1", "a2", "a3", "b0")) {
            fs.get(0).put(BlobKey.of(k), new ByteArrayInputStream(new byte[5]));
        }
        damage(0, "a1");
        damage(0, "a2");
        damage(0, "a3");
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(fs.get(0)).replica(fs.get(1)).build();
        BlobPage first = r.list("", null, 2);
        assertEquals(List.of(), first.items());
        assertEquals(true, first.nextPageToken().isPresent(), "an empty page that is not the last carries a token");
        assertEquals(List.of("b0"), listEverything(r, 2));
        r.close();
    }

    @Test
    void closeClosesEveryReplicaWhenOneFailsToClose() {
        List<String> closed = new java.util.ArrayList<>();
        List<BlobStore> replicas = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            replicas.add(new ForwardingBlobStore(fs.get(i)) {
                @Override
                public void close() {
                    closed.add("r" + n);
                    if (n < 2) {
                        throw new BlobStoreException(BlobStoreException.Reason.IO, "replica " + n + " failed to close");
                    }
                }
            });
        }
        ReplicatedBlobStore r = ReplicatedBlobStore.builder().replica(replicas.get(0)).replica(replicas.get(1))
                .replica(replicas.get(2)).build();
        BlobStoreException e = assertThrows(BlobStoreException.class, r::close);
        assertEquals(List.of("r0", "r1", "r2"), closed, "the replicas after a failing one are closed too");
        assertEquals("io: replica 0 failed to close", e.getMessage());
        assertEquals(1, e.getSuppressed().length);
        assertEquals("io: replica 1 failed to close", e.getSuppressed()[0].getMessage());
    }

    @Test
    void builderValidates() {
        assertThrows(IllegalArgumentException.class, () -> ReplicatedBlobStore.builder().replica(store).build());
        assertThrows(IllegalArgumentException.class,
                () -> ReplicatedBlobStore.builder().replica(store).replica(store).writeQuorum(3).build());
    }
}
