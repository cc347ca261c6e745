package io.mediastore.benchmarks.storage;

import io.mediastore.storage.BlobKey;
import io.mediastore.storage.S3BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import software.amazon.awssdk.transfer.s3.model.CompletedFileDownload;

/**
 * A 200 MiB download from the same S3Proxy into a file: ours streams it (checking the recorded SHA-256) into
 * the file; the peer is S3TransferManager.downloadFile (on a plain async client: S3Proxy cannot serve the
 * part-numbered GETs of the multipart client).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 12, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class S3GetBenchmark {
    @Param({"200"})
    public int mib;

    private S3Fixture s3;
    private S3BlobStore store;
    private S3AsyncClient async;
    private S3TransferManager tm;
    private Path oursOut;
    private Path peerOut;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        s3 = new S3Fixture();
        Path file = S3Fixture.randomFile(s3.dir, (long) mib << 20);
        store = S3BlobStore.builder().bucket(S3Fixture.BUCKET).endpoint(s3.endpoint).pathStyle(true)
                .credentials(S3Fixture.credentials()).build();
        try (InputStream in = Files.newInputStream(file)) {
            store.put(BlobKey.of("object.bin"), in);
        }
        Files.delete(file);
        async = s3.plainAsyncClient();
        tm = S3TransferManager.builder().s3Client(async).build();
        oursOut = s3.dir.resolve("ours.out");
        peerOut = s3.dir.resolve("peer.out");
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tm.close();
        async.close();
        store.close();
        s3.close();
    }

    @Benchmark
    public long get() throws IOException {
        try (InputStream in = store.get(BlobKey.of("object.bin"))) {
            return Files.copy(in, oursOut, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Benchmark
    public CompletedFileDownload peerTransferManagerDownload() throws IOException {
        Files.deleteIfExists(peerOut);
        return tm.downloadFile(d -> d.destination(peerOut).getObjectRequest(g -> g.bucket(S3Fixture.BUCKET).key("object.bin")))
                .completionFuture().join();
    }
}
