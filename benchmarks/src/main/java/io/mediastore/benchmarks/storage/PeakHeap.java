package io.mediastore.benchmarks.storage;

import io.mediastore.storage.BlobInfo;
import io.mediastore.storage.BlobKey;
import io.mediastore.storage.S3BlobStore;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Peak heap while S3BlobStore puts 2 GiB of unknown length. Run it with a small heap, for example
 * {@code java -Xmx64m -cp benchmarks.jar io.mediastore.benchmarks.storage.PeakHeap 2048}: finishing at all proves
 * the bound; it also prints the sum of the heap pools' peaks (an upper bound of the true peak). S3Proxy runs in a
 * child JVM so only the client's heap is measured.
 */
public final class PeakHeap {
    private PeakHeap() {
    }

    /** Child process: an S3Proxy server; prints its port, runs until killed. */
    public static final class Server {
        private Server() {
        }

        public static void main(String[] args) throws Exception {
            S3Fixture s3 = new S3Fixture();
            System.out.println("PORT " + s3.endpoint.getPort());
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    /** The most heap in use right after any collection: what the put really holds on to, garbage aside. */
    private static java.util.concurrent.atomic.AtomicLong watchHeapAfterCollections() {
        java.util.concurrent.atomic.AtomicLong max = new java.util.concurrent.atomic.AtomicLong();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((javax.management.NotificationEmitter) gc).addNotificationListener((n, handback) -> {
                if (n.getType().equals(com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    var info = com.sun.management.GarbageCollectionNotificationInfo.from(
                            (javax.management.openmbean.CompositeData) n.getUserData());
                    long used = info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                            .filter(e -> !e.getKey().contains("Metaspace") && !e.getKey().contains("Code")
                                    && !e.getKey().contains("Compressed"))
                            .mapToLong(e -> e.getValue().getUsed()).sum();
                    max.accumulateAndGet(used, Math::max);
                }
            }, null, null);
        }
        return max;
    }

    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 2048;
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(javaBin, "-Xmx1g", "-cp", System.getProperty("java.class.path"), Server.class.getName())
                .redirectErrorStream(true).start();
        try {
            var reader = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()));
            String line;
            int port = -1;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("PORT ")) {
                    port = Integer.parseInt(line.substring(5).trim());
                    break;
                }
            }
            if (port < 0) {
                throw new IllegalStateException("the S3Proxy child did not start");
            }
            Thread drain = new Thread(() -> {
                try {
                    reader.transferTo(java.io.Writer.nullWriter());
                } catch (java.io.IOException ignored) {
                    // child gone
                }
            });
            drain.setDaemon(true);
            drain.start();
            try (S3BlobStore store = S3BlobStore.builder().bucket(S3Fixture.BUCKET).endpoint(URI.create("http://127.0.0.1:" + port))
                    .pathStyle(true).credentials(S3Fixture.credentials()).build()) {
                List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                        .filter(p -> p.getType() == MemoryType.HEAP).toList();
                System.gc();
                heap.forEach(MemoryPoolMXBean::resetPeakUsage);
                java.util.concurrent.atomic.AtomicLong liveAfterGc = watchHeapAfterCollections();
                long t0 = System.nanoTime();
                BlobInfo info = store.put(BlobKey.of("peak/heap.bin"), generated(mib << 20));
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                long peak = heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
                System.out.printf("put %d MiB in %d ms (%.0f MiB/s), sha256 %s%n", mib, ms, mib * 1000.0 / ms, info.sha256().orElseThrow());
                System.out.printf("max heap (-Xmx) %d MiB, sum of heap pool peaks %.1f MiB (an upper bound: the pools peak at"
                        + " different times), largest heap left after a collection %.1f MiB%n",
                        Runtime.getRuntime().maxMemory() >> 20, peak / 1048576.0, liveAfterGc.get() / 1048576.0);
            }
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private static InputStream generated(long size) {
        return new InputStream() {
            private final SplittableRandom random = new SplittableRandom(3);
            private long left = size;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) {
                    return -1;
                }
                int n = (int) Math.min(len, left);
                int i = 0;
                for (; i + 8 <= n; i += 8) {
                    long v = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        b[off + i + j] = (byte) (v >>> (8 * j));
                    }
                }
                for (; i < n; i++) {
                    b[off + i] = (byte) random.nextInt();
                }
                left -= n;
                return n;
            }
        };
    }
}
