package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/** The chunked AES-GCM format: any range decrypts to the same bytes; any single corrupted byte is refused. */
class EncryptionProperties {
    private static Path root;
    private static FileSystemBlobStore backend;
    private static EncryptingBlobStore store;

    @BeforeContainer
    static void open() throws Exception {
        root = Files.createTempDirectory("enc-props");
        backend = FileSystemBlobStore.open(root, false);
        store = EncryptingBlobStore.wrap(backend, KeyRing.builder().generate("k").build());
    }

    @AfterContainer
    static void close() throws Exception {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static byte[] data(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    @Property(tries = 150)
    void anyRangeDecryptsToThePlaintextSlice(@ForAll @IntRange(min = 0, max = 300_000) int size, @ForAll long seed,
                                              @ForAll @IntRange(min = 0, max = 310_000) int offset,
                                              @ForAll @IntRange(min = 0, max = 200_000) int length) throws Exception {
        byte[] plain = data(size, seed);
        BlobKey key = BlobKey.of("p/" + size);
        assertEquals(size, store.put(key, new ByteArrayInputStream(plain)).size());
        if (offset > size) {
            BlobStoreException e = org.junit.jupiter.api.Assertions.assertThrows(BlobStoreException.class,
                    () -> store.get(key, ByteRange.of(offset, length)));
            assertEquals(BlobStoreException.Reason.RANGE_NOT_SATISFIABLE, e.reason());
            return;
        }
        try (InputStream in = store.get(key, ByteRange.of(offset, length))) {
            assertArrayEquals(Arrays.copyOfRange(plain, offset, (int) Math.min(size, (long) offset + length)), in.readAllBytes());
        }
    }

    @Property(tries = 150)
    void anyCorruptedByteIsRefusedWithIntegrity(@ForAll @IntRange(min = 0, max = 150_000) int size, @ForAll long seed,
                                                 @ForAll int position, @ForAll @IntRange(min = 1, max = 255) int xor) throws Exception {
        byte[] plain = data(size, seed);
        BlobKey key = BlobKey.of("m/x");
        store.put(key, new ByteArrayInputStream(plain));
        BlobInfo info = backend.stat(key).orElseThrow();
        byte[] ct;
        try (InputStream in = backend.get(key)) {
            ct = in.readAllBytes();
        }
        int i = Math.floorMod(position, ct.length);
        ct[i] ^= (byte) xor;
        backend.put(key, new ByteArrayInputStream(ct), PutOptions.builder().build().withReserved(info.metadata()));
        try (InputStream in = store.get(key)) {
            in.readAllBytes();
            throw new AssertionError("corruption at byte " + i + " went unnoticed");
        } catch (BlobStoreException e) {
            assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason());
        }
    }

    @Property(tries = 100)
    void aTruncatedBlobNeverEndsAuthentically(@ForAll @IntRange(min = 0, max = 300_000) int size, @ForAll long seed,
                                              @ForAll @IntRange(min = 1, max = 310_000) int cut) throws Exception {
        byte[] plain = data(size, seed);
        BlobKey key = BlobKey.of("t/x");
        store.put(key, new ByteArrayInputStream(plain));
        BlobInfo info = backend.stat(key).orElseThrow();
        byte[] ct;
        try (InputStream in = backend.get(key)) {
            ct = in.readAllBytes();
        }
        byte[] shorter = Arrays.copyOf(ct, Math.max(0, ct.length - cut));
        backend.put(key, new ByteArrayInputStream(shorter), PutOptions.builder().build().withReserved(info.metadata()));
        long apparentEnd = Math.max(0, shorter.length - (shorter.length + EncryptingBlobStore.CHUNK + 15L) / (EncryptingBlobStore.CHUNK + 16) * 16);
        for (ByteRange r : java.util.List.of(ByteRange.from(0), ByteRange.from(apparentEnd), ByteRange.of(apparentEnd + 1, 10))) {
            try (InputStream in = store.get(key, r)) {
                in.readAllBytes();
                throw new AssertionError("a blob cut by " + cut + " bytes ended without complaint for " + r);
            } catch (BlobStoreException e) {
                assertEquals(BlobStoreException.Reason.INTEGRITY, e.reason(), r::toString);
            }
        }
    }
}
