package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
