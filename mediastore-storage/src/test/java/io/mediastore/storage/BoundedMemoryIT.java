package io.mediastore.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.storage.internal.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * Puts stream with bounded memory: a separate JVM with a 64 MiB heap puts a blob four times that size, of a length
 * it is never told, through S3BlobStore (default part buffers: 4 x 8 MiB) and FileSystemBlobStore. A store that
 * buffered the whole object would die of OutOfMemoryError; the child exits non-zero on one. S3Proxy runs here, in
 * the test JVM, so only the stores' heap is bounded.
 */
class BoundedMemoryIT {
    private static final String BUCKET = "bounded-memory-it";
    private static final int MIB = 256;
    private static final String HEAP = "-Xmx64m";

    @TempDir
    Path dir;

    /** Child process: args = endpoint, bucket, file store root, MiB. Prints "s3 <size> <sha256>" and "fs ...". */
    public static final class Putter {
        public static void main(String[] args) throws IOException {
            long size = Long.parseLong(args[3]) << 20;
            try (S3BlobStore s3 = S3BlobStore.builder().bucket(args[1]).endpoint(java.net.URI.create(args[0])).pathStyle(true)
                    .credentials(S3ProxyServer.credentials()).build();
                 FileSystemBlobStore fs = FileSystemBlobStore.open(Path.of(args[2]))) {
                report("s3", s3, size);
                report("fs", fs, size);
            }
        }

        private static void report(String name, BlobStore store, long size) throws IOException {
            MessageDigest independent = Sha256.newDigest();
            try (InputStream in = new DigestInputStream(S3BlobStoreIT.generated(size, 42), independent)) {
                BlobInfo info = store.put(BlobKey.of("big/blob.bin"), in);
                System.out.println(name + " " + info.size() + " " + info.sha256().orElseThrow() + " "
                        + Sha256.hex(independent.digest()));
            }
        }
    }

    @Test
    void aBlobFourTimesTheHeapIsPutByBothStores() throws Exception {
        try (S3ProxyServer server = S3ProxyServer.start(Files.createDirectories(dir.resolve("s3")))) {
            server.createBucket(BUCKET);
            Path fsRoot = dir.resolve("fs");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    HEAP, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), Putter.class.getName(),
                    server.endpoint().toString(), BUCKET, fsRoot.toString(), Integer.toString(MIB)));
            Path log = dir.resolve("putter.log");
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = child.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                child.destroyForcibly();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(done, "the child put did not finish in 5 minutes: " + output);
            assertEquals(0, child.exitValue(), () -> "the child, with " + HEAP + ", failed:\n" + output);

            long size = (long) MIB << 20;
            String s3Sha = reported(output, "s3", size);
            String fsSha = reported(output, "fs", size);
            assertEquals(s3Sha, fsSha, "the same bytes went to both stores");
            // what the server holds, read back by a client of its own
            try (ResponseInputStream<GetObjectResponse> in = server.raw().getObject(r -> r.bucket(BUCKET).key("big/blob.bin"))) {
                MessageDigest d = Sha256.newDigest();
                long n = 0;
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; n += r) {
                    d.update(buf, 0, r);
                }
                assertEquals(size, n);
                assertEquals(s3Sha, Sha256.hex(d.digest()));
            }
            try (FileSystemBlobStore fs = FileSystemBlobStore.open(fsRoot)) {
                assertEquals(size, fs.stat(BlobKey.of("big/blob.bin")).orElseThrow().size());
            }
        }
    }

    /** The SHA-256 the store returned for one line of the child's output, checked against the size and the independent digest. */
    private static String reported(String output, String store, long size) {
        for (String line : output.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 4 && f[0].equals(store)) {
                assertEquals(size, Long.parseLong(f[1]), store + " size");
                assertEquals(f[3], f[2], store + ": the store's SHA-256 against a DigestInputStream over the same bytes");
                return f[2];
            }
        }
        throw new AssertionError("no " + store + " line in the child's output:\n" + output);
    }
}
