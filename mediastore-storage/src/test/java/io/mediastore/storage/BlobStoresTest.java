package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobStoresTest {
    @TempDir
    Path dir;

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private String fileUri(String name) {
        return dir.resolve(name).toUri() + "?fsync=false";
    }

    @Test
    void builtInSchemesAreDiscovered() {
        assertTrue(BlobStores.builder().build().schemes().containsAll(java.util.Set.of("file", "s3", "replicated", "encrypted")));
    }

    @Test
    void opensAFileStore() throws Exception {
        try (BlobStore store = BlobStores.open(URI.create(fileUri("plain")))) {
            assertInstanceOf(FileSystemBlobStore.class, store);
            store.put(BlobKey.of("a"), new ByteArrayInputStream(new byte[] {1}));
            assertTrue(Files.exists(dir.resolve("plain/objects/a.o")));
        }
    }

    @Test
    void composesEncryptionOverReplicationFromOneUri() throws Exception {
        Path keyFile = dir.resolve("keys");
        Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, "k1 " + Base64.getEncoder().encodeToString(new byte[32]) + "\nprimary k1\n");
        String replicated = "replicated:?quorum=2&replica=" + enc(fileUri("r1")) + "&replica=" + enc(fileUri("r2"))
                + "&replica=" + enc(fileUri("r3"));
        URI uri = URI.create("encrypted:?keyring=" + enc(keyFile.toString()) + "&store=" + enc(replicated));
        byte[] data = "hello, replicated and encrypted".getBytes(StandardCharsets.UTF_8);
        try (BlobStore store = BlobStores.open(uri)) {
            assertInstanceOf(EncryptingBlobStore.class, store);
            store.put(BlobKey.of("doc"), new ByteArrayInputStream(data));
            try (InputStream in = store.get(BlobKey.of("doc"))) {
                assertArrayEquals(data, in.readAllBytes());
            }
        }
        for (String r : new String[] {"r1", "r2", "r3"}) {
            byte[] stored = Files.readAllBytes(dir.resolve(r + "/objects/doc.o"));
            assertTrue(!new String(stored, StandardCharsets.ISO_8859_1).contains("hello"), "ciphertext only on " + r);
        }
    }

    @Test
    void explicitKeyProviderByName() throws Exception {
        KeyRing ring = KeyRing.builder().generate("x").build();
        BlobStores stores = BlobStores.builder().keyProvider(ring).build();
        try (BlobStore store = stores.openStore(URI.create("encrypted:?keys=keyring&store=" + enc(fileUri("e"))))) {
            store.put(BlobKey.of("k"), new ByteArrayInputStream(new byte[] {9}));
            assertEquals(1, store.stat(BlobKey.of("k")).orElseThrow().size());
        }
        assertThrows(IllegalArgumentException.class,
                () -> BlobStores.open(URI.create("encrypted:?keys=nope&store=" + enc(fileUri("e")))));
    }

    @Test
    void badUrisAreRefusedLoudly() {
        for (String bad : new String[] {
                "ftp://host/x",
                "nonsense",
                fileUri("x") + "&fsync=maybe",
                fileUri("x") + "&color=blue",
                "file://host/share",
                "s3://AKIA:secret@bucket/",
                "s3://bucket/?sse=rot13",
                "s3://bucket/?partSize=1",
                "s3://bucket/prefix",
                // settings that would be silently dropped: a KMS key without SSE-KMS (no encryption asked for at
                // all, or SSE-S3), a port on the bucket name, a fragment
                "s3://bucket/?kmsKeyId=alias/media",
                "s3://bucket/?sse=s3&kmsKeyId=alias/media",
                "s3://bucket:9000/",
                "s3://bucket/#frag",
                fileUri("x") + "#frag",
                "s3://bucket/?endpoint=" + enc("http://10.0.0.5:9000"),
                "s3://bucket/?endpoint=" + enc("ftp://127.0.0.1"),
                "s3://bucket/?endpoint=" + enc("http://127.0.0.1:9000") + "&allowPlainHttp=maybe",
                "replicated:?replica=" + enc(fileUri("only-one")),
                "replicated:?quorum=5&replica=" + enc(fileUri("a")) + "&replica=" + enc(fileUri("b")),
                "encrypted:?store=" + enc(fileUri("x")),
                "encrypted:?keys=a&keyring=/b&store=" + enc(fileUri("x")),
                "encrypted:?keys=a&store=%zz"}) {
            assertThrows(IllegalArgumentException.class, () -> BlobStores.open(URI.create(bad)), bad);
        }
    }

    @Test
    void plainHttpOffLoopbackIsOnlyOpenedWhenAskedFor() {
        BlobStores.open(URI.create("s3://bucket/?endpoint=" + enc("http://127.0.0.1:9000") + "&pathStyle=true")).close();
        BlobStores.open(URI.create("s3://bucket/?endpoint=" + enc("https://minio.internal:9000"))).close();
        var refused = assertThrows(IllegalArgumentException.class,
                () -> BlobStores.open(URI.create("s3://bucket/?endpoint=" + enc("http://minio.internal:9000"))));
        assertTrue(refused.getMessage().contains("allowPlainHttp=true"), refused.getMessage());
        BlobStores.open(URI.create("s3://bucket/?endpoint=" + enc("http://minio.internal:9000") + "&allowPlainHttp=true")).close();
    }

    @Test
    void keyFileReadableByOthersIsRefused() throws Exception {
        Path keyFile = dir.resolve("open-keys");
        Files.writeString(keyFile, "k1 " + Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-r--r--"));
        assertThrows(IllegalArgumentException.class,
                () -> BlobStores.open(URI.create("encrypted:?keyring=" + enc(keyFile.toString()) + "&store=" + enc(fileUri("x")))));
    }
}
