package io.mediastore.benchmarks.storage;

import io.mediastore.storage.BlobKey;
import io.mediastore.storage.S3BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.transfer.s3.S3TransferManager;

/**
 * Where a 200 MiB put's CPU goes, per thread group (S3Proxy's Jetty threads, the caller, our upload threads, the SDK's
 * event loops, the JIT, the collector), for ours or TransferManager over HTTPS: the steady state after warm-up puts,
 * read in nanoseconds from {@code /proc/self/task/<tid>/schedstat} (Linux), which wall-clock ratios on a shared
 * 2-core machine cannot show. A thread that ends during a put takes its time with it.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar io.mediastore.benchmarks.storage.S3PutCpu ours|peer [warm-up] [puts]}
 */
public final class S3PutCpu {
    private S3PutCpu() {
    }

    public static void main(String[] args) throws Exception {
        String who = args.length > 0 ? args[0] : "ours";
        int warmUp = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int puts = args.length > 2 ? Integer.parseInt(args[2]) : 12;
        if (warmUp < 0 || puts < 1) {
            throw new IllegalArgumentException("at least one measured put, and no negative warm-up");
        }
        try {
            measure(who, warmUp, puts);
        } finally {
            System.exit(0); // the SDK's and S3Proxy's non-daemon threads
        }
    }

    private static void measure(String who, int warmUp, int puts) throws Exception {
        try (S3Fixture s3 = new S3Fixture(S3Fixture.Transport.HTTPS);
             S3BlobStore store = S3BlobStore.builder().bucket(S3Fixture.BUCKET).endpoint(s3.endpoint).pathStyle(true)
                     .credentials(S3Fixture.credentials()).build();
             S3AsyncClient async = s3.multipartAsyncClient();
             S3TransferManager tm = S3TransferManager.builder().s3Client(async).build()) {
            Path file = S3Fixture.randomFile(s3.dir, 200L << 20);
            Runnable put = switch (who) {
                case "ours" -> () -> {
                    try (InputStream in = Files.newInputStream(file)) {
                        store.put(BlobKey.of("ours/put.bin"), in);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                };
                case "peer" -> () -> tm.uploadFile(u -> u.source(file)
                        .putObjectRequest(p -> p.bucket(S3Fixture.BUCKET).key("peer/put.bin"))).completionFuture().join();
                default -> throw new IllegalArgumentException("ours or peer, not " + who);
            };
            for (int i = 0; i < warmUp; i++) {
                put.run();
            }
            List<Long> wallMs = new ArrayList<>();
            Map<String, Long> cpuNanosByGroup = new TreeMap<>();
            for (int i = 0; i < puts; i++) {
                Map<String, Long> before = threadCpuNanos();
                long start = System.nanoTime();
                put.run();
                wallMs.add((System.nanoTime() - start) / 1_000_000);
                threadCpuNanos().forEach((thread, nanos) -> cpuNanosByGroup.merge(group(thread),
                        nanos - before.getOrDefault(thread, 0L), Long::sum));
            }
            List<Long> sorted = new ArrayList<>(wallMs);
            Collections.sort(sorted);
            System.out.printf("%s: %d puts of 200 MiB after %d warm-up puts; wall ms %s (median %d)%n", who, puts, warmUp,
                    wallMs, sorted.get(puts / 2));
            cpuNanosByGroup.forEach((group, nanos) -> {
                if (nanos / puts >= 1_000_000) {
                    System.out.printf("  %-22s %5d ms CPU per put%n", group, nanos / puts / 1_000_000);
                }
            });
        }
    }

    /** Time on a CPU (user and system) of every thread of this process, in nanoseconds, by "name/tid". */
    private static Map<String, Long> threadCpuNanos() throws IOException {
        Map<String, Long> byThread = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                String name;
                String schedstat;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                    schedstat = Files.readString(task.resolve("schedstat"));
                } catch (IOException gone) {
                    continue; // the thread ended meanwhile
                }
                long onCpu = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' '))); // the first field
                byThread.put(name + "/" + task.getFileName(), onCpu);
            }
        }
        return byThread;
    }

    private static String group(String thread) {
        String name = thread.substring(0, thread.lastIndexOf('/'));
        if (name.startsWith("S3Proxy")) {
            return "S3Proxy";
        }
        if (name.startsWith("s3-blobstore-up")) {
            return "our upload threads";
        }
        if (name.equals("java") || name.equals("main")) {
            return "caller (main)";
        }
        if (name.startsWith("aws-java-sdk") || name.startsWith("sdk-async")) {
            return "SDK async threads";
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return "JIT";
        }
        if (name.startsWith("GC") || name.startsWith("G1")) {
            return "GC";
        }
        return name.replaceAll("[0-9]+", "#");
    }
}
