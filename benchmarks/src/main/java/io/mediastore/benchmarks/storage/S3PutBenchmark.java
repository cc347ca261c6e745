package io.mediastore.benchmarks.storage;

import io.mediastore.storage.BlobInfo;
import io.mediastore.storage.BlobKey;
import io.mediastore.storage.S3BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;
import software.amazon.awssdk.transfer.s3.model.CompletedFileUpload;

/**
 * A 200 MiB upload to the same S3Proxy: ours reads a stream whose length it is not told and computes the
 * SHA-256 on the way, then records that digest in a small digest record (also measured without it); the
 * peer, S3TransferManager.uploadFile, gets the file itself (known length, parallel parts).
 *
 * <p>{@code partMib}, {@code buffers} and {@code parallel} are the store's part size, part buffers and upload
 * threads; 0 keeps the store's default (what the recorded ratios use). Try others with, for example,
 * {@code -p partMib=8,16 -p parallel=4,8}.
 *
 * <p>One put takes about a second, so an iteration is about one operation: 4 warm-up and 12 measured iterations,
 * because TransferManager allocates about 2.3 bytes per byte uploaded and its times alternate with the collector.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 12, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class S3PutBenchmark {
    @Param({"200"})
    public int mib;

    /**
     * HTTP or HTTPS to S3Proxy. Over plain HTTP the SDK's synchronous client (ours) must SigV4-sign every payload
     * chunk, a SHA-256 pass on each side that S3Proxy verifies, while its asynchronous client (TransferManager's)
     * sends unsigned payloads with a trailing checksum; over HTTPS, as against AWS, neither signs the payload.
     * {@link #peerTransferManagerUploadSignedPayload} is TransferManager made to sign over HTTP too.
     */
    @Param({"http", "https"})
    public String transport;

    @Param({"0"})
    public int partMib;

    @Param({"0"})
    public int buffers;

    @Param({"0"})
    public int parallel;

    private S3Fixture s3;
    private Path file;
    private S3BlobStore store;
    private S3BlobStore storeWithoutRecord;
    private S3AsyncClient async;
    private S3TransferManager tm;
    private S3AsyncClient signingAsync;
    private S3TransferManager signingTm;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        s3 = new S3Fixture(S3Fixture.Transport.valueOf(transport.toUpperCase(java.util.Locale.ROOT)));
        file = S3Fixture.randomFile(s3.dir, (long) mib << 20);
        store = tuned().build();
        storeWithoutRecord = tuned().recordMultipartDigest(false).build();
        async = s3.multipartAsyncClient();
        tm = S3TransferManager.builder().s3Client(async).build();
        signingAsync = s3.payloadSigningMultipartAsyncClient();
        signingTm = S3TransferManager.builder().s3Client(signingAsync).build();
    }

    private S3BlobStore.Builder tuned() {
        S3BlobStore.Builder b = S3BlobStore.builder().bucket(S3Fixture.BUCKET).endpoint(s3.endpoint).pathStyle(true)
                .credentials(S3Fixture.credentials());
        if (partMib > 0) {
            b.partSize(partMib << 20);
        }
        if (buffers > 0) {
            b.buffers(buffers);
        }
        if (parallel > 0) {
            b.uploadConcurrency(parallel);
        }
        return b;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tm.close();
        async.close();
        signingTm.close();
        signingAsync.close();
        store.close();
        storeWithoutRecord.close();
        s3.close();
    }

    @Benchmark
    public BlobInfo put() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return store.put(BlobKey.of("ours/put.bin"), in);
        }
    }

    /** Without the digest record that holds the whole blob's SHA-256 after a multipart upload. */
    @Benchmark
    public BlobInfo putWithoutDigestRecord() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return storeWithoutRecord.put(BlobKey.of("ours/put-norecord.bin"), in);
        }
    }

    @Benchmark
    public CompletedFileUpload peerTransferManagerUpload() {
        return tm.uploadFile(u -> u.source(file).putObjectRequest(p -> p.bucket(S3Fixture.BUCKET).key("peer/put.bin")))
                .completionFuture().join();
    }

    /**
     * Informative: TransferManager plus the SHA-256 that ours returns, hashed from the file on this thread while
     * the upload runs (the quickest way a TransferManager user gets it). The goal is judged on the plain upload.
     */
    @Benchmark
    public String peerTransferManagerUploadWithSha256() throws Exception {
        var upload = tm.uploadFile(u -> u.source(file).putObjectRequest(p -> p.bucket(S3Fixture.BUCKET).key("peer/put-sha.bin")))
                .completionFuture();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        upload.join();
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * The same peer doing the same integrity work as ours: over plain HTTP its parts are payload-signed (SHA-256
     * on each side) instead of sent as unsigned aws-chunked bodies with a trailing CRC32.
     */
    @Benchmark
    public CompletedFileUpload peerTransferManagerUploadSignedPayload() {
        return signingTm.uploadFile(u -> u.source(file).putObjectRequest(p -> p.bucket(S3Fixture.BUCKET).key("peer/put-signed.bin")))
                .completionFuture().join();
    }
}
