package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.storage.internal.Sha256;
import io.mediastore.storage.spi.KeyProvider;
import io.mediastore.storage.spi.WrappedKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncryptingBlobStoreTest extends BlobStoreContract {
    @TempDir
    Path dir;
    FileSystemBlobStore backend;
    static final byte[] M1 = random(32, 100);
    static final byte[] M2 = random(32, 200);
    KeyRing ring = KeyRing.builder().add("m1", M1).build();

    @Override
    protected BlobStore newStore() {
        backend = FileSystemBlobStore.open(dir.resolve("store"), false);
        return EncryptingBlobStore.wrap(backend, ring);
    }

    @Override
    protected boolean reportsDigests() {
        return false; // the plaintext's digest is not known to the store
    }

    /** A backend that runs a racing write once, just before the first metadata replacement or copy reaches it. */
    private static final class RacingBackend extends ForwardingBlobStore {
        private Runnable race;

        RacingBackend(BlobStore inner) {
            super(inner);
        }

        void before(Runnable write) {
            race = write;
        }

        private void raceOnce() {
            Runnable r = race;
            race = null;
            if (r != null) {
                r.run();
            }
        }

        @Override
        public BlobInfo replaceMetadataIf(BlobKey key, String expectedSha256, PutOptions options) {
            raceOnce();
            return super.replaceMetadataIf(key, expectedSha256, options);
        }

        @Override
        public BlobInfo replaceMetadata(BlobKey key, PutOptions options) {
            raceOnce();
            return super.replaceMetadata(key, options);
        }

        @Override
        public BlobInfo copy(BlobKey source, BlobKey target, PutOptions options) {
            raceOnce();
            return super.copy(source, target, options);
        }

        @Override
        public InputStream get(BlobKey key, ByteRange range) {
            raceOnce();
            return super.get(key, range);
        }
    }

    @Test
    void aCopyOntoItselfRacingAPutKeepsThePutsKey() throws IOException {
        // a copy onto itself is a metadata change; once it re-wrapped the old envelope onto the put's ciphertext
        BlobKey key = BlobKey.of("race/self");
        store.put(key, unknownLength(random(50_000, 49)));
        byte[] newer = random(52_000, 50);
        RacingBackend racing = new RacingBackend(backend);
        EncryptingBlobStore copying = EncryptingBlobStore.wrap(racing, ring);
        racing.before(() -> copying.put(key, unknownLength(newer)));
        copying.copy(key, key, PutOptions.builder().metadata("copied", "yes").build());
        assertArrayEquals(newer, readAll(copying.get(key)));
        assertEquals(Map.of("copied", "yes"), copying.stat(key).orElseThrow().metadata());
    }

    @Test
    void aBlobReplacedBetweenItsStatAndItsReadIsReadNotCalledTampered() throws IOException {
        // the read opens the ciphertext with the envelope its stat saw; a put in between once made that INTEGRITY
        BlobKey key = BlobKey.of("race/read");
        store.put(key, unknownLength(random(90_000, 46)));
        byte[] newer = random(91_000, 47);
        RacingBackend racing = new RacingBackend(backend);
        EncryptingBlobStore reading = EncryptingBlobStore.wrap(racing, ring);
        racing.before(() -> reading.put(key, unknownLength(newer)));
        assertArrayEquals(newer, readAll(reading.get(key)));
        racing.before(() -> reading.put(key, unknownLength(random(70_000, 48))));
        byte[] range = readAll(reading.get(key, ByteRange.of(66_000, 100)));
        assertEquals(100, range.length);
    }

    @Test
    void aPutBetweenARewrapsReadAndItsWriteKeepsItsOwnKey() throws IOException {
        // once, the re-wrap wrote the old blob's envelope over the new blob's: its data key was gone for good
        BlobKey key = BlobKey.of("race/blob");
        store.put(key, unknownLength(random(70_000, 41)));
        byte[] newer = random(80_000, 42);
        RacingBackend racing = new RacingBackend(backend);
        EncryptingBlobStore rotating = EncryptingBlobStore.wrap(racing,
                KeyRing.builder().add("m1", M1).add("m2", M2).primary("m2").build());
        racing.before(() -> rotating.put(key, unknownLength(newer))); // lands after the re-wrap read the blob
        assertEquals(false, rotating.rewrap(key), "the new put is under the new master key already");
        assertArrayEquals(newer, readAll(rotating.get(key)));
        assertEquals("m2", rotating.masterKeyIdOf(key));
        // a metadata change racing a put the same way keeps the new blob readable too
        BlobKey other = BlobKey.of("race/meta");
        store.put(other, unknownLength(random(5000, 43)));
        racing.before(() -> rotating.put(other, unknownLength(newer)));
        rotating.replaceMetadata(other, PutOptions.builder().metadata("title", "t").build());
        assertArrayEquals(newer, readAll(rotating.get(other)));
        assertEquals(Map.of("title", "t"), rotating.stat(other).orElseThrow().metadata());
    }

    @Test
    void aCopyWhoseSourceIsReplacedMidwayGivesTheTargetTheRightKey() throws IOException {
        // the copy re-wraps the source's data key for the target; a put to the source between that read and the
        // copy once left the target with the new ciphertext and the old key, unreadable
        BlobKey src = BlobKey.of("race/src");
        BlobKey dst = BlobKey.of("race/dst");
        store.put(src, unknownLength(random(60_000, 44)));
        byte[] newer = random(61_000, 45);
        RacingBackend racing = new RacingBackend(backend);
        EncryptingBlobStore copying = EncryptingBlobStore.wrap(racing, ring);
        racing.before(() -> copying.put(src, unknownLength(newer)));
        copying.copy(src, dst);
        assertArrayEquals(newer, readAll(copying.get(dst)));
    }

    private EncryptingBlobStore enc() {
        return (EncryptingBlobStore) store;
    }

    private byte[] ciphertext(String key) throws IOException {
        return readAll(backend.get(BlobKey.of(key)));
    }

    /** Rewrites the backend's blob with other bytes but the same metadata (envelope). */
    private void tamper(String key, java.util.function.UnaryOperator<byte[]> change) throws IOException {
        BlobInfo info = backend.stat(BlobKey.of(key)).orElseThrow();
        byte[] changed = change.apply(ciphertext(key));
        backend.put(BlobKey.of(key), new ByteArrayInputStream(changed),
                PutOptions.builder().contentType(info.contentType()).build().withReserved(info.metadata()));
    }

    @Test
    void backendHoldsOnlyCiphertext() throws IOException {
        byte[] data = new byte[200_000];
        Arrays.fill(data, (byte) 'A');
        store.put(BlobKey.of("secret"), unknownLength(data));
        byte[] ct = ciphertext("secret");
        assertEquals(200_000 + 4 * 16, ct.length, "four 64 KiB chunks, one tag each");
        int longestRun = 0;
        for (int i = 0, run = 0; i < ct.length; i++) {
            run = ct[i] == 'A' ? run + 1 : 0;
            longestRun = Math.max(longestRun, run);
        }
        assertTrue(longestRun < 8, "no plaintext visible");
        assertEquals(Optional.empty(), store.stat(BlobKey.of("secret")).orElseThrow().sha256(), "no plaintext digest stored");
        assertFalse(backend.stat(BlobKey.of("secret")).orElseThrow().metadata().toString().contains("AAAA"));
        assertEquals(200_000, store.stat(BlobKey.of("secret")).orElseThrow().size());
    }

    @Test
    void rangeReadsAcrossChunkBoundaries() throws IOException {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK + 1234, 21);
        store.put(BlobKey.of("r"), unknownLength(data));
        int c = EncryptingBlobStore.CHUNK;
        long[][] ranges = {{0, 1}, {c - 1, 2}, {c, c}, {c - 10, c + 20}, {3L * c, 1234}, {3L * c + 1233, 5}, {5, data.length}, {0, 0}};
        for (long[] r : ranges) {
            int from = (int) r[0];
            int to = (int) Math.min(data.length, r[0] + r[1]);
            assertArrayEquals(Arrays.copyOfRange(data, from, to), readAll(store.get(BlobKey.of("r"), ByteRange.of(r[0], r[1]))),
                    () -> "range " + r[0] + "+" + r[1]);
        }
        assertArrayEquals(new byte[0], readAll(store.get(BlobKey.of("r"), ByteRange.from(data.length))));
    }

    @Test
    void everyKindOfTamperingIsDetected() throws IOException {
        byte[] data = random(3 * EncryptingBlobStore.CHUNK + 100, 22);
        BlobKey key = BlobKey.of("t");
        int ct = EncryptingBlobStore.CHUNK + 16;
        java.util.List<java.util.function.UnaryOperator<byte[]>> attacks = java.util.List.of(
                b -> { b[10] ^= 1; return b; },                                         // flipped bit, first chunk
                b -> { b[b.length - 1] ^= (byte) 0x80; return b; },                     // flipped tag bit, last chunk
                b -> Arrays.copyOf(b, 3 * ct),                                          // last chunk dropped
                b -> Arrays.copyOf(b, b.length - 1),                                    // truncated by a byte
                b -> { byte[] x = Arrays.copyOf(b, b.length + ct); System.arraycopy(b, 0, x, b.length, ct); return x; }, // appended chunk
                b -> { byte[] x = b.clone(); System.arraycopy(b, ct, x, 0, ct); System.arraycopy(b, 0, x, ct, ct); return x; }); // swapped chunks
        for (var attack : attacks) {
            store.put(key, unknownLength(data));
            tamper("t", attack);
            BlobStoreException e = assertThrows(BlobStoreException.class, () -> readAll(store.get(key)));
            assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason());
        }
    }

    @Test
    void aRangeAtOrPastTheApparentEndOfATruncatedBlobFailsAuthentication() throws IOException {
        // the end was once taken from the backend's size: a truncated blob answered "empty" at its new end and
        // RANGE_NOT_SATISFIABLE past it, without authenticating anything
        int c = EncryptingBlobStore.CHUNK;
        byte[] data = random(3 * c + 500, 23);
        BlobKey key = BlobKey.of("t/end");
        store.put(key, unknownLength(data));
        tamper("t/end", b -> Arrays.copyOf(b, 2 * (c + 16))); // the last two chunks dropped
        for (ByteRange r : List.of(ByteRange.from(2L * c), ByteRange.of(2L * c, 0), ByteRange.of(3L * c, 100))) {
            BlobStoreException e = assertThrows(BlobStoreException.class, () -> readAll(store.get(key, r)), r::toString);
            assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason(), r::toString);
        }
        // an authentic end is still reported as one
        store.put(key, unknownLength(data));
        assertArrayEquals(new byte[0], readAll(store.get(key, ByteRange.from(data.length))));
        assertEquals(BlobStoreException.Reason.RANGE_NOT_SATISFIABLE,
                assertThrows(BlobStoreException.class, () -> store.get(key, ByteRange.of(data.length + 1L, 10))).reason());
    }

    @Test
    void metadataLeavingNoRoomForTheEnvelopeIsRefusedWithADocumentedReason() throws IOException {
        // PutOptions.build() takes up to 2048 bytes; adding the envelope once threw an undocumented
        // IllegalArgumentException from put
        PutOptions full = PutOptions.builder().metadata("note", "x".repeat(PutOptions.MAX_METADATA_BYTES - 4)).build();
        BlobKey key = BlobKey.of("meta/full");
        InputStream content = new ByteArrayInputStream(new byte[10]);
        BlobStoreException e = assertThrows(BlobStoreException.class, () -> store.put(key, content, full));
        assertEquals(BlobStoreException.Reason.UNSUPPORTED, e.reason());
        assertTrue(e.getMessage().contains("at most"), e.getMessage());
        assertFalse(e.getMessage().contains("v1."), "no envelope in the message");
        assertEquals(10, content.available(), "refused before the content was read");
        assertEquals(Optional.empty(), store.stat(key));
        store.put(key, unknownLength(new byte[10]));
        assertEquals(BlobStoreException.Reason.UNSUPPORTED,
                assertThrows(BlobStoreException.class, () -> store.replaceMetadata(key, full)).reason());
        assertEquals(BlobStoreException.Reason.UNSUPPORTED,
                assertThrows(BlobStoreException.class, () -> store.copy(key, BlobKey.of("meta/copy"), full)).reason());
        // room for the envelope left: taken
        PutOptions roomy = PutOptions.builder().metadata("note", "x".repeat(PutOptions.MAX_METADATA_BYTES - 300)).build();
        store.put(key, unknownLength(new byte[10]), roomy);
        assertEquals(roomy.metadata(), store.stat(key).orElseThrow().metadata());
    }

    @Test
    void anObjectOfImpossibleSizeIsLeftOutOfListingsAndIsIntegrityOnStat() {
        // one such object once made every listing page covering it throw INTEGRITY, hiding the blobs beside it
        for (int i = 0; i < 5; i++) {
            store.put(BlobKey.of("l/good" + i), unknownLength(random(100, i)));
        }
        backend.put(BlobKey.of("l/junk"), new ByteArrayInputStream(new byte[3])); // shorter than one tag: not ours
        List<String> listed = store.listAll("l/").map(s -> s.key().value()).toList();
        assertEquals(List.of("l/good0", "l/good1", "l/good2", "l/good3", "l/good4"), listed);
        assertEquals(List.of(100L), store.list("l/", null, 1000).items().stream().map(BlobSummary::size).distinct().toList());
        assertEquals(BlobStoreException.Reason.INTEGRITY,
                assertThrows(BlobStoreException.class, () -> store.stat(BlobKey.of("l/junk"))).reason(), "as stat documents");
    }

    @Test
    void envelopesCannotBeMovedBetweenBlobs() throws IOException {
        store.put(BlobKey.of("alice"), unknownLength(random(1000, 1)));
        store.put(BlobKey.of("bob"), unknownLength(random(1000, 2)));
        // copy Bob's ciphertext and envelope over Alice's blob, behind the store's back
        BlobInfo bob = backend.stat(BlobKey.of("bob")).orElseThrow();
        backend.put(BlobKey.of("alice"), backend.get(BlobKey.of("bob")),
                PutOptions.builder().build().withReserved(bob.metadata()));
        assertEquals(BlobStoreException.Reason.INTEGRITY,
                assertThrows(BlobStoreException.class, () -> readAll(store.get(BlobKey.of("alice")))).reason());
    }

    @Test
    void aBlobThatCannotBeRewrappedIsCountedAndTheRotationGoesOn() throws IOException {
        byte[] a = random(1000, 33);
        byte[] c = random(1000, 34);
        store.put(BlobKey.of("rot/a"), unknownLength(a));
        backend.put(BlobKey.of("rot/b"), unknownLength(random(500, 35))); // another tool's object: no envelope
        byte[] m0 = random(32, 36);
        EncryptingBlobStore.wrap(backend, KeyRing.builder().add("m0", m0).build()).put(BlobKey.of("rot/b2"),
                unknownLength(random(700, 37))); // under a master key that is not in the ring
        store.put(BlobKey.of("rot/c"), unknownLength(c));
        KeyRing rotated = KeyRing.builder().add("m1", M1).add("m2", M2).primary("m2").build();
        EncryptingBlobStore next = EncryptingBlobStore.wrap(backend, rotated);
        assertEquals(new EncryptingBlobStore.RewrapReport(4, 2, 2, 0), next.rewrapAll("rot/"),
                "the blobs listed after the two that cannot be re-wrapped are re-wrapped too");
        assertEquals("m2", next.masterKeyIdOf(BlobKey.of("rot/a")));
        assertEquals("m2", next.masterKeyIdOf(BlobKey.of("rot/c")));
        assertArrayEquals(c, readAll(EncryptingBlobStore.wrap(backend, KeyRing.builder().add("m2", M2).build()).get(BlobKey.of("rot/c"))));
        assertEquals(new EncryptingBlobStore.RewrapReport(4, 0, 2, 0), next.rewrapAll("rot/"), "still failed: keep the old key");
    }

    @Test
    void emptyBlobTagIsChecked() throws IOException {
        store.put(BlobKey.of("e"), unknownLength(new byte[0]));
        assertEquals(16, ciphertext("e").length);
        tamper("e", b -> { b[0] ^= 1; return b; });
        assertThrows(BlobStoreException.class, () -> readAll(store.get(BlobKey.of("e"))));
    }

    @Test
    void masterKeyRotationRewrapsWithoutTouchingCiphertext() throws IOException {
        byte[] a = random(150_000, 31);
        byte[] b = random(10, 32);
        store.put(BlobKey.of("rot/a"), unknownLength(a));
        store.put(BlobKey.of("rot/b"), unknownLength(b));
        String ctBefore = Sha256.hex(Sha256.newDigest().digest(ciphertext("rot/a")));
        KeyRing rotated = KeyRing.builder().add("m1", M1).add("m2", M2).primary("m2").build();
        EncryptingBlobStore next = EncryptingBlobStore.wrap(backend, rotated);
        assertEquals(new EncryptingBlobStore.RewrapReport(2, 2, 0, 0), next.rewrapAll("rot/"));
        assertEquals(new EncryptingBlobStore.RewrapReport(2, 0, 0, 0), next.rewrapAll("rot/"), "idempotent");
        assertEquals("m2", next.masterKeyIdOf(BlobKey.of("rot/a")));
        assertEquals(ctBefore, Sha256.hex(Sha256.newDigest().digest(ciphertext("rot/a"))), "ciphertext unchanged");
        // the old master key can now be retired
        KeyRing onlyNew = KeyRing.builder().generate("m2").build(); // same id, other key material
        EncryptingBlobStore retired = EncryptingBlobStore.wrap(backend, KeyRing.builder().add("m2", M2).build());
        assertArrayEquals(a, readAll(retired.get(BlobKey.of("rot/a"))));
        assertArrayEquals(b, readAll(retired.get(BlobKey.of("rot/b"))));
        // a store without the right master key cannot read, and says why
        EncryptingBlobStore stranger = EncryptingBlobStore.wrap(backend, onlyNew);
        assertEquals(BlobStoreException.Reason.INTEGRITY,
                assertThrows(BlobStoreException.class, () -> readAll(stranger.get(BlobKey.of("rot/a")))).reason());
        EncryptingBlobStore old = EncryptingBlobStore.wrap(backend, ring);
        assertEquals(BlobStoreException.Reason.KEY_UNAVAILABLE,
                assertThrows(BlobStoreException.class, () -> old.get(BlobKey.of("rot/a"))).reason());
    }

    @Test
    void copyRewrapsForTheTarget() throws IOException {
        byte[] data = random(70_000, 41);
        store.put(BlobKey.of("c/src"), unknownLength(data), PutOptions.builder().metadata("m", "v").build());
        store.copy(BlobKey.of("c/src"), BlobKey.of("c/dst"));
        assertArrayEquals(data, readAll(store.get(BlobKey.of("c/dst"))));
        assertEquals(Map.of("m", "v"), store.stat(BlobKey.of("c/dst")).orElseThrow().metadata());
    }

    @Test
    void presignIsRefused() {
        store.put(BlobKey.of("p"), unknownLength(new byte[1]));
        assertEquals(BlobStoreException.Reason.UNSUPPORTED,
                assertThrows(BlobStoreException.class, () -> store.presignGet(BlobKey.of("p"), java.time.Duration.ofMinutes(1))).reason());
    }

    /** Delegates to a {@link KeyRing} and records every data key and context it is asked to wrap. */
    static final class RecordingKeyProvider implements KeyProvider {
        final KeyRing delegate;
        final List<byte[]> dataKeys = new ArrayList<>();
        final List<byte[]> contexts = new ArrayList<>();

        RecordingKeyProvider(KeyRing delegate) {
            this.delegate = delegate;
        }

        @Override
        public String currentKeyId() {
            return delegate.currentKeyId();
        }

        @Override
        public synchronized WrappedKey wrap(byte[] dataKey, byte[] context) {
            // copies: the store wipes its array once the put is done
            dataKeys.add(dataKey.clone());
            contexts.add(context.clone());
            return delegate.wrap(dataKey, context);
        }

        @Override
        public byte[] unwrap(WrappedKey wrapped, byte[] context) {
            return delegate.unwrap(wrapped, context);
        }
    }

    /** The wrapped data key in the backend's stored envelope ({@code v1.<key id>.<base64url>}). */
    private WrappedKey storedEnvelope(String key) {
        String envelope = backend.stat(BlobKey.of(key)).orElseThrow().metadata().get(EncryptingBlobStore.ENVELOPE);
        String[] parts = envelope.split("\\.", -1);
        assertEquals(3, parts.length, () -> "envelope of " + key + ": " + envelope);
        assertEquals("v1", parts[0], () -> "envelope version of " + key);
        return new WrappedKey(parts[1], Base64.getUrlDecoder().decode(parts[2]));
    }

    @Test
    void everyPutWrapsItsOwnFreshDataKey() throws IOException {
        RecordingKeyProvider keys = new RecordingKeyProvider(ring);
        EncryptingBlobStore recorded = EncryptingBlobStore.wrap(backend, keys);
        byte[] data = random(2 * EncryptingBlobStore.CHUNK + 7, 51);
        String[] puts = {"dk/a", "dk/b", "dk/a"};
        List<byte[]> stored = new ArrayList<>();
        List<WrappedKey> envelopes = new ArrayList<>();
        for (int i = 0; i < puts.length; i++) {
            recorded.put(BlobKey.of(puts[i]), unknownLength(data));
            assertEquals(i + 1, keys.dataKeys.size(), "put " + i + " (" + puts[i] + ") calls wrap exactly once");
            byte[] dek = keys.dataKeys.get(i);
            assertEquals(32, dek.length, "put " + i + " wraps an AES-256 data key");
            assertFalse(Arrays.equals(new byte[32], dek), "put " + i + " wraps a random, not a zeroed, data key");
            assertArrayEquals(puts[i].getBytes(StandardCharsets.UTF_8), keys.contexts.get(i), "put " + i + " binds the data key to its blob key");
            // read the backend now: the third put overwrites the first blob
            stored.add(ciphertext(puts[i]));
            envelopes.add(storedEnvelope(puts[i]));
            assertArrayEquals(dek, ring.unwrap(envelopes.get(i), keys.contexts.get(i)),
                    "put " + i + " stores the envelope of the data key it wrapped");
            assertArrayEquals(data, readAll(recorded.get(BlobKey.of(puts[i]))), "put " + i + " round trips");
        }
        for (int i = 0; i < puts.length; i++) {
            for (int j = i + 1; j < puts.length; j++) {
                String pair = "puts " + i + " (" + puts[i] + ") and " + j + " (" + puts[j] + ")";
                assertFalse(Arrays.equals(keys.dataKeys.get(i), keys.dataKeys.get(j)), pair + " got the same data key");
                assertFalse(Arrays.equals(stored.get(i), stored.get(j)), pair + " stored the same ciphertext");
                assertNotEquals(envelopes.get(i), envelopes.get(j), pair + " stored the same envelope");
            }
        }
        assertEquals(3, keys.dataKeys.size(), "reads never wrap");
    }

    @Test
    void aProviderOtherThanKeyRingRoundTripsWholeAndRangeReads() throws IOException {
        EncryptingBlobStore kms = EncryptingBlobStore.wrap(backend, new SealedKeyProvider("kms-1"));
        int c = EncryptingBlobStore.CHUNK;
        byte[] data = random(3 * c + 999, 61);
        BlobKey key = BlobKey.of("kms/big");
        assertEquals(data.length, kms.put(key, unknownLength(data)).size());
        assertEquals("kms-1", kms.masterKeyIdOf(key), "the envelope names the provider's master key");
        assertEquals(data.length, kms.stat(key).orElseThrow().size());
        assertArrayEquals(data, readAll(kms.get(key)), "whole read");
        long[][] ranges = {{0, 1}, {c - 1, 2}, {c, c}, {2L * c + 5, c + 100}, {3L * c, 999}, {3L * c + 998, 10}, {7, data.length}};
        for (long[] r : ranges) {
            int to = (int) Math.min(data.length, r[0] + r[1]);
            assertArrayEquals(Arrays.copyOfRange(data, (int) r[0], to), readAll(kms.get(key, ByteRange.of(r[0], r[1]))),
                    () -> "range " + r[0] + "+" + r[1]);
        }
        kms.put(BlobKey.of("kms/empty"), unknownLength(new byte[0]));
        assertArrayEquals(new byte[0], readAll(kms.get(BlobKey.of("kms/empty"))), "empty blob");
    }

    @Test
    void aBlobIsUnreadableWithoutItsProvidersMasterKey() throws IOException {
        SealedKeyProvider kms1 = new SealedKeyProvider("kms-1");
        EncryptingBlobStore kms = EncryptingBlobStore.wrap(backend, kms1);
        BlobKey key = BlobKey.of("kms/secret");
        byte[] data = random(EncryptingBlobStore.CHUNK + 10, 62);
        kms.put(key, unknownLength(data));
        // stores whose provider does not hold master key kms-1: the documented KEY_UNAVAILABLE, for every read
        Map<String, EncryptingBlobStore> lacking = Map.of(
                "key ring m1", enc(),
                "KMS with key kms-2", EncryptingBlobStore.wrap(backend, new SealedKeyProvider("kms-2")));
        lacking.forEach((name, other) -> {
            for (ByteRange range : new ByteRange[] {ByteRange.from(0), ByteRange.of(5, 10), ByteRange.of(EncryptingBlobStore.CHUNK, 10)}) {
                BlobStoreException e = assertThrows(BlobStoreException.class, () -> readAll(other.get(key, range)),
                        () -> name + " read " + range);
                assertEquals(BlobStoreException.Reason.KEY_UNAVAILABLE, e.reason(), () -> name + " read " + range + ": " + e.getMessage());
            }
        });
        // the same id with other key material cannot authenticate the wrapped key (as with a key ring)
        EncryptingBlobStore impostor = EncryptingBlobStore.wrap(backend, new SealedKeyProvider("kms-1"));
        assertEquals(BlobStoreException.Reason.INTEGRITY,
                assertThrows(BlobStoreException.class, () -> readAll(impostor.get(key))).reason(), "same key id, other key");
        // and the other way round: the KMS store cannot re-wrap a key ring's blob it has no key for
        store.put(BlobKey.of("ring/blob"), unknownLength(data));
        assertEquals(BlobStoreException.Reason.KEY_UNAVAILABLE,
                assertThrows(BlobStoreException.class, () -> kms.rewrap(BlobKey.of("ring/blob"))).reason(), "rewrap without the old key");
        assertArrayEquals(data, readAll(kms.get(key)), "the owner still reads it");
    }

    @Test
    void rangeReadsDetectATamperedChunkAndStillServeUntouchedOnes() throws IOException {
        int c = EncryptingBlobStore.CHUNK;
        int ctChunk = c + 16; // each stored chunk is its ciphertext plus a 16-byte GCM tag, back to back
        byte[] data = random(4 * c + 500, 71);
        int chunks = 5; // four full chunks and a 500-byte last one
        BlobKey key = BlobKey.of("t/range");
        for (int k = 0; k < chunks; k++) {
            int chunkLen = k == chunks - 1 ? 500 : c;
            // flip a ciphertext byte in the middle of chunk k, or (alternately) a byte of its tag
            int at = k * ctChunk + (k % 2 == 0 ? chunkLen / 2 : chunkLen + 3);
            store.put(key, unknownLength(data));
            assertEquals(data.length + chunks * 16, ciphertext("t/range").length, "the layout this test assumes: one tag per chunk");
            tamper("t/range", b -> { b[at] ^= 0x40; return b; });
            String where = "stored byte " + at + " flipped in chunk " + k;

            long[][] covering = {{(long) k * c + 1, 10}, {(long) k * c, chunkLen}, {k == 0 ? 0 : (long) k * c - 3, 6}, {0, data.length}};
            for (long[] r : covering) {
                BlobStoreException e = assertThrows(BlobStoreException.class, () -> readAll(store.get(key, ByteRange.of(r[0], r[1]))),
                        () -> where + ": range " + r[0] + "+" + r[1] + " covers it");
                assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason(), () -> where + ": range " + r[0] + "+" + r[1] + ": " + e.getMessage());
            }
            for (int j = 0; j < chunks; j++) {
                if (j == k) {
                    continue;
                }
                int len = j == chunks - 1 ? 500 : c;
                // the whole of chunk j, and a slice strictly inside it
                long[][] inside = {{(long) j * c, len}, {(long) j * c + 7, len - 20}};
                for (long[] r : inside) {
                    assertArrayEquals(Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])), readAll(store.get(key, ByteRange.of(r[0], r[1]))),
                            where + ": range " + r[0] + "+" + r[1] + " inside untouched chunk " + j);
                }
            }
        }
    }
}
