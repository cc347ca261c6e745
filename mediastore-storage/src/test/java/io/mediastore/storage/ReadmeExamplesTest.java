package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's examples, compiled and (where no server is needed) run, so they cannot rot. */
class ReadmeExamplesTest {
    @TempDir
    Path dir;

    // README: filesystem
    static byte[] filesystem(Path root, InputStream upload) throws Exception {
        try (BlobStore store = FileSystemBlobStore.open(root)) {
            BlobKey key = BlobKey.of("videos/2026/intro.mp4");
            BlobInfo info = store.put(key, upload, PutOptions.builder().contentType("video/mp4").build());
            System.out.println(info.size() + " bytes, sha256 " + info.sha256().orElseThrow());
            try (InputStream first = store.get(key, ByteRange.of(0, 4))) {
                return first.readAllBytes();
            }
        }
    }

    // README: S3, encrypted and replicated across regions, with a presigned download link
    static URI s3(InputStream upload) {
        S3BlobStore eu = S3BlobStore.builder().bucket("media-eu").region("eu-west-1").sseKms("alias/media").build();
        S3BlobStore us = S3BlobStore.builder().bucket("media-us").region("us-east-1").sseS3().build();
        BlobStore replicated = ReplicatedBlobStore.builder().replica(eu).replica(us).writeQuorum(2).build();
        BlobStore store = EncryptingBlobStore.wrap(replicated, KeyRing.load(Path.of("/etc/mediastore/master-keys")));
        store.put(BlobKey.of("docs/contract.pdf"), upload);
        return eu.presignGet(BlobKey.of("videos/public-trailer.mp4"), Duration.ofMinutes(5)); // unencrypted store only
    }

    // README: from configuration
    static BlobStore configured() {
        return BlobStores.open(URI.create("encrypted:?keyring=/etc/mediastore/master-keys&store="
                + "replicated%3A%3Fquorum%3D2%26replica%3Dfile%253A%252F%252F%252Fsrv%252Fa%26replica%3Dfile%253A%252F%252F%252Fsrv%252Fb"));
    }

    @Test
    void filesystemExampleRuns() throws Exception {
        assertArrayEquals(new byte[] {1, 2, 3, 4}, filesystem(dir, new ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5})));
    }

    @Test
    void configuredExampleParses() {
        // the keyring file does not exist here: parsing got as far as loading it
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class, ReadmeExamplesTest::configured);
        assertEquals("cannot read the key file", e.getMessage());
    }
}
