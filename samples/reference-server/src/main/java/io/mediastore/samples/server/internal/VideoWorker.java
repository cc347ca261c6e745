package io.mediastore.samples.server.internal;

import io.mediastore.hls.HlsPackager;
import io.mediastore.hls.Rendition;
import io.mediastore.hls.RenditionLadder;
import io.mediastore.hls.VodPublisher;
import io.mediastore.hls.spi.Transcoder;
import io.mediastore.storage.BlobKey;
import io.mediastore.storage.BlobStore;
import io.mediastore.storage.PutOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Background transcoding and encrypted HLS packaging. Videos are queued in the database; any node with workers
 * claims one (an atomic state change), transcodes a small ladder that never upscales (360p, 240p) with the bundled
 * FFmpeg, packages AES-128 segments with content keys in {@link DbContentKeyStore}, and uploads playlists and
 * segments to the blob store under {@code hls/<assetId>/}. A node that dies mid-job stops its heartbeat and the job
 * is queued again.
 */
public final class VideoWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VideoWorker.class);
    public static final RenditionLadder LADDER = new RenditionLadder(List.of(
            new Rendition("360p", 360, 700_000, 96_000),
            new Rendition("240p", 240, 350_000, 64_000)));

    private final Assets assets;
    private final BlobStore blobs;
    private final DbContentKeyStore keys;
    private final Transcoder transcoder;
    private final int segmentSeconds;
    private final String workerId = Db.newId("w_");
    private final ExecutorService pool;
    private final ScheduledExecutorService poller;
    private final int workers;
    private final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger();

    public VideoWorker(Assets assets, BlobStore blobs, DbContentKeyStore keys, Transcoder transcoder, int workers, int segmentSeconds) {
        this.assets = assets;
        this.blobs = blobs;
        this.keys = keys;
        this.transcoder = transcoder;
        this.segmentSeconds = segmentSeconds;
        this.workers = workers;
        if (workers > 0) {
            this.pool = Executors.newFixedThreadPool(workers, r -> {
                Thread t = new Thread(r, "mediastore-video");
                t.setDaemon(true);
                return t;
            });
            this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mediastore-video-poll");
                t.setDaemon(true);
                return t;
            });
            poller.scheduleWithFixedDelay(this::pollSafely, 200, 1000, TimeUnit.MILLISECONDS);
        } else {
            this.pool = null;
            this.poller = null;
        }
    }

    /** Looks for work now (after an upload on this node). */
    public void wake() {
        if (poller != null) {
            poller.execute(this::pollSafely);
        }
    }

    private void pollSafely() {
        try {
            assets.requeueStale(System.currentTimeMillis() - Duration.ofMinutes(2).toMillis());
            // claim only what an idle thread starts now, so other nodes can take the rest
            int idle = workers - busy.get();
            if (idle <= 0) {
                return;
            }
            for (String id : assets.queued(idle)) {
                if (busy.get() < workers && assets.claim(id, workerId)) {
                    busy.incrementAndGet();
                    pool.execute(() -> {
                        try {
                            process(id);
                        } finally {
                            busy.decrementAndGet();
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("video queue poll failed: {}", e.toString());
        }
    }

    void process(String id) {
        Assets.Asset a = assets.find(id).orElse(null);
        if (a == null) {
            return;
        }
        Thread worker = Thread.currentThread();
        // set once the asset is found deleted: the job stops, and what it wrote is removed
        java.util.concurrent.atomic.AtomicBoolean deleted = new java.util.concurrent.atomic.AtomicBoolean();
        Path work = null;
        try {
            work = Files.createTempDirectory("mediastore-video-");
            Path input = work.resolve("source");
            try (InputStream in = blobs.get(BlobKey.of(a.blobKey()))) {
                Files.copy(in, input, StandardCopyOption.REPLACE_EXISTING);
            }
            Path out = work.resolve("hls");
            HlsPackager packager = HlsPackager.builder()
                    .keyStore(keys.forAsset(id))
                    .keyUriTemplate("keys/{keyId}")
                    .targetSegmentDuration(Duration.ofSeconds(segmentSeconds))
                    .encryptionThreads(1)
                    .build();
            double[] last = {0};
            long[] beat = {System.nanoTime()};
            VodPublisher.create(transcoder, packager, LADDER).publish(input, out, (fraction, seconds) -> {
                double p = Math.min(0.9, fraction * 0.9);
                // a progress step, or a heartbeat every 20 s so other nodes do not take the job over
                if (p - last[0] >= 0.05 || System.nanoTime() - beat[0] > 20_000_000_000L) {
                    last[0] = Math.max(last[0], p);
                    beat[0] = System.nanoTime();
                    if (!assets.videoProgress(id, last[0]) && deleted.compareAndSet(false, true) && Thread.currentThread() != worker) {
                        worker.interrupt(); // stops FFmpeg (the final call comes on the worker itself, which just stops)
                    }
                }
            });
            if (deleted.get()) {
                return;
            }
            assets.videoState(id, "packaging", 0.9, null);
            List<Path> files;
            try (Stream<Path> s = Files.walk(out)) {
                files = s.filter(Files::isRegularFile).sorted(Comparator.comparing(Path::toString)).toList();
            }
            int done = 0;
            for (Path f : files) {
                if (!assets.videoProgress(id, 0.9 + 0.1 * done / files.size())) {
                    deleted.set(true);
                    break;
                }
                String rel = out.relativize(f).toString().replace('\\', '/');
                String type = rel.endsWith(".m3u8") ? "application/vnd.apple.mpegurl" : "video/mp2t";
                try (InputStream in = Files.newInputStream(f)) {
                    blobs.put(BlobKey.of("hls/" + id + "/" + rel), in, PutOptions.builder().contentType(type).build());
                }
                done++;
            }
            // checked after the last write: a delete after this check finds everything written and removes it
            if (deleted.get() || assets.find(id).isEmpty()) {
                deleted.set(true);
                return;
            }
            assets.videoState(id, "ready", 1.0, null);
            LOG.info("video {} ready ({} files)", id, files.size());
        } catch (RuntimeException | IOException e) {
            if (deleted.get()) {
                return;
            }
            if (Thread.currentThread().isInterrupted() || pool.isShutdown()) {
                return; // shutting down: close() queues it again
            }
            LOG.warn("video {} failed", id, e);
            assets.videoState(id, "failed", 0.0, "transcoding or packaging failed");
        } finally {
            if (deleted.get()) {
                Thread.interrupted(); // our own stop signal, not a shutdown
                try {
                    removeOutput(id);
                    LOG.info("video {} was deleted while it was processed: its output is removed", id);
                } catch (RuntimeException e) {
                    LOG.warn("could not remove the output of deleted video {}: {}", id, e.toString());
                }
            }
            if (work != null) {
                try (Stream<Path> s = Files.walk(work)) {
                    s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                } catch (IOException ignored) {
                    // leftover temp files
                }
            }
        }
    }

    /** Removes an asset's HLS output: its playlists and segments, and its content keys. */
    public void removeOutput(String assetId) {
        keys.forAsset(assetId).deleteAll();
        blobs.listAll("hls/" + assetId + "/").forEach(s -> blobs.delete(s.key()));
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.shutdownNow();
            pool.shutdownNow();
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                int n = assets.requeueWorker(workerId);
                if (n > 0) {
                    LOG.info("{} unfinished video(s) queued again for the next worker", n);
                }
            } catch (RuntimeException e) {
                LOG.warn("could not queue unfinished videos again: {}", e.toString());
            }
        }
    }
}
