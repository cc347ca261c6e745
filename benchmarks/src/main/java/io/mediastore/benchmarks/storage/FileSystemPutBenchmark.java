package io.mediastore.benchmarks.storage;

import io.mediastore.storage.BlobInfo;
import io.mediastore.storage.BlobKey;
import io.mediastore.storage.FileSystemBlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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

/**
 * A 200 MiB durable write: ours streams a file (as an InputStream) into the store, hashing it, fsyncing it and
 * renaming it into place; the peer is {@code cp} of the same file followed by {@code sync} of the copy. A second,
 * informative peer does the same work as ours: {@code cp}, {@code openssl dgst -sha256} of the copy (OpenSSL's
 * SHA-256 uses the CPU's SHA instructions, as the JDK's does), then {@code sync}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgs = {"-Xmx1g"})
public class FileSystemPutBenchmark {
    @Param({"200"})
    public int mib;

    private Path dir;
    private Path file;
    private Path copy;
    private FileSystemBlobStore store;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("fs-bench");
        file = S3Fixture.randomFile(dir, (long) mib << 20);
        copy = dir.resolve("copy.bin");
        store = FileSystemBlobStore.open(dir.resolve("store"));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        S3Fixture.deleteTree(dir);
    }

    @Benchmark
    public BlobInfo put() throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return store.put(BlobKey.of("media/put.bin"), in);
        }
    }

    @Benchmark
    public int peerCpSync() throws Exception {
        int cp = new ProcessBuilder("cp", file.toString(), copy.toString()).inheritIO().start().waitFor();
        int sync = new ProcessBuilder("sync", copy.toString()).inheritIO().start().waitFor();
        if (cp != 0 || sync != 0) {
            throw new IllegalStateException("cp or sync failed");
        }
        return cp + sync;
    }

    /** The same work as ours with standard tools: copy, SHA-256 of the copy, sync. */
    @Benchmark
    public int peerCpSha256Sync() throws Exception {
        int cp = new ProcessBuilder("cp", file.toString(), copy.toString()).inheritIO().start().waitFor();
        int sha = new ProcessBuilder("openssl", "dgst", "-sha256", copy.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        int sync = new ProcessBuilder("sync", copy.toString()).inheritIO().start().waitFor();
        if (cp != 0 || sha != 0 || sync != 0) {
            throw new IllegalStateException("cp, openssl or sync failed");
        }
        return cp + sha + sync;
    }
}
