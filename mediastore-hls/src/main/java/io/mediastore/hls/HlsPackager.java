package io.mediastore.hls;

import io.mediastore.hls.internal.Chunk;
import io.mediastore.hls.internal.SegmentWriters;
import io.mediastore.hls.internal.TsSegmenter;
import io.mediastore.hls.spi.ContentKeyStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packages an MPEG-TS into HLS: cuts it at keyframes near the target duration (pure Java, bounded
 * memory), encrypts every segment with AES-128-CBC and PKCS#7 (RFC 8216 5.2) under content keys from
 * {@link SecureRandom} with a fresh explicit IV per segment, rotates the key every N segments, stores
 * the keys in a {@link ContentKeyStore} and writes a VOD media playlist. Immutable and thread-safe.
 *
 * <pre>{@code
 * HlsPackager packager = HlsPackager.builder()
 *     .keyStore(new FileContentKeyStore(keyDir, masterKey))
 *     .keyUriTemplate("https://media.example.com/keys/{keyId}")
 *     .build();
 * PackagedStream out = packager.packageFile(Path.of("in.ts"), Path.of("public/asset-1/720p"));
 * }</pre>
 */
public final class HlsPackager {
  private static final Logger LOG = LoggerFactory.getLogger(HlsPackager.class);
  static final int CHUNK = 188 * 4096;
  static final long DEFAULT_BUFFER = 64L << 20;

  private final double targetSeconds;
  private final ContentKeyStore keyStore;
  private final String keyUriTemplate;
  private final int rotateEvery;
  private final int threads;
  private final long bufferBytes;
  private final SecureRandom random;
  private final String playlistName;
  private final String segmentPattern;

  private HlsPackager(Builder b) {
    this.targetSeconds = b.target.toNanos() / 1e9;
    this.keyStore = b.keyStore;
    this.keyUriTemplate = b.keyUriTemplate;
    this.rotateEvery = b.rotateEvery;
    this.threads = b.threads;
    this.bufferBytes = b.bufferBytes;
    this.random = b.random;
    this.playlistName = b.playlistName;
    this.segmentPattern = b.segmentPattern;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The target segment duration in seconds; the transcoder places keyframes on its multiples. */
  public double targetSeconds() {
    return targetSeconds;
  }

  /** Packages a TS file into {@code outputDir} (created if needed; existing segment files are never overwritten). */
  public PackagedStream packageFile(Path tsFile, Path outputDir) {
    Objects.requireNonNull(tsFile, "tsFile");
    try (InputStream in = Files.newInputStream(tsFile)) {
      // the encryption threads re-read their segments' byte ranges from a regular file (same bytes as streaming)
      return packageInternal(in, Files.isRegularFile(tsFile) ? tsFile : null, outputDir);
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.IO, "cannot read " + tsFile, e);
    }
  }

  /**
   * Packages a TS stream. On any failure every file this call created is deleted, no key is stored,
   * and an {@link HlsException} names the reason.
   */
  public PackagedStream packageStream(InputStream ts, Path outputDir) {
    return packageInternal(ts, null, outputDir);
  }

  private PackagedStream packageInternal(InputStream ts, Path sourceFile, Path outputDir) {
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(outputDir, "outputDir");
    checkKeysApartFrom(outputDir);
    try {
      Files.createDirectories(outputDir);
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.IO, "cannot create " + outputDir, e);
    }
    List<ContentKey> keys = new ArrayList<>();
    List<MediaPlaylist.Key> segKeys = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    // streaming: the workers hold the parser's chunks, so the pool is the buffer; re-reading: the parser needs
    // only its current and next chunk, and read-ahead is bounded by queued byte ranges instead
    int chunks = sourceFile != null ? 4 : Math.max(4 + 3 * threads, (int) (bufferBytes / CHUNK));
    Chunk.Pool pool = new Chunk.Pool(chunks, CHUNK);
    boolean ok = false;
    TsSegmenter seg = null;
    try (SegmentWriters writers = new SegmentWriters(threads, CHUNK, chunks + 16,
        index -> target(index, outputDir, keys, segKeys, files), sourceFile, bufferBytes)) {
      seg = new TsSegmenter(targetSeconds, pool, CHUNK, writers);
      TsSegmenter.Result r = seg.run(ts);
      int n = r.durations().size();
      long[] sizes = writers.finish(n);
      List<MediaPlaylist.Segment> segments = new ArrayList<>(n);
      double maxDur = 0;
      double total = 0;
      long totalBytes = 0;
      long peak = 0;
      for (int i = 0; i < n; i++) {
        double d = r.durations().get(i);
        segments.add(new MediaPlaylist.Segment(d, segmentName(i), keyStore == null ? null : segKeys.get(i)));
        maxDur = Math.max(maxDur, d);
        total += d;
        totalBytes += sizes[i];
        // a short tail segment would overstate the peak; it still counts when it is the only one
        if (d > 0 && (d >= targetSeconds / 2 || n == 1)) {
          peak = Math.max(peak, (long) Math.ceil(sizes[i] * 8 / d));
        }
      }
      long avg = total > 0 ? (long) Math.ceil(totalBytes * 8 / total) : 0;
      if (peak == 0) {
        peak = Math.max(avg, 1);
      }
      MediaPlaylist playlist = new MediaPlaylist(3, (int) Math.max(1, Math.round(maxDur)), 0, "VOD", segments, true);
      for (ContentKey k : keys) {
        keyStore.put(k);
      }
      Path pl = outputDir.resolve(playlistName);
      files.add(pl);
      Files.writeString(pl, playlist.render(), StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      ok = true;
      LOG.debug("packaged {} segments, {} keys, {} bytes into {}", n, keys.size(), r.inputBytes(), outputDir);
      List<String> ids = new ArrayList<>();
      for (ContentKey k : keys) {
        ids.add(k.keyId());
      }
      return new PackagedStream(pl, playlist, ids, peak, Math.max(avg, 1), r.codecs(), r.hasVideo(), r.hasAudio(), r.inputBytes());
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.IO, "packaging into " + outputDir + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HlsException(HlsException.Reason.CANCELLED, "interrupted while packaging", e);
    } finally {
      if (seg != null) {
        seg.abandon();
      }
      for (ContentKey k : keys) {
        k.destroy();
      }
      if (!ok) {
        for (Path f : files) {
          try {
            Files.deleteIfExists(f);
          } catch (IOException ignored) {
            // best effort; the exception being thrown is what matters
          }
        }
      }
    }
  }

  /**
   * Keys are never written next to the segments: refuses (IllegalArgumentException) a {@link FileContentKeyStore}
   * whose directory is inside {@code publishedDir} or contains it.
   */
  void checkKeysApartFrom(Path publishedDir) {
    ContentKeyStore store = keyStore;
    while (store instanceof io.mediastore.hls.internal.ScopedContentKeyStore scoped) {
      store = scoped.base(); // a scope changes the ids, not where the files go
    }
    if (store instanceof FileContentKeyStore f) {
      Path keys = f.directory().toAbsolutePath().normalize();
      Path pub = publishedDir.toAbsolutePath().normalize();
      if (keys.startsWith(pub) || pub.startsWith(keys)) {
        throw new IllegalArgumentException("the key store directory must be apart from the published output " + pub
            + ": keys are never written next to the segments");
      }
    }
  }

  /** Runs on the segmenting thread when segment {@code index} starts. */
  private SegmentWriters.Target target(int index, Path dir, List<ContentKey> keys, List<MediaPlaylist.Key> segKeys, List<Path> files) {
    Path file = dir.resolve(segmentName(index));
    files.add(file);
    if (keyStore == null) {
      return new SegmentWriters.Target(file, null, null);
    }
    if (keys.isEmpty() || (rotateEvery > 0 && index % rotateEvery == 0)) {
      keys.add(ContentKey.generate(random));
    }
    ContentKey key = keys.get(keys.size() - 1);
    byte[] iv = new byte[16];
    random.nextBytes(iv);
    segKeys.add(MediaPlaylist.Key.of(keyUriTemplate.replace("{keyId}", key.keyId()), iv));
    return new SegmentWriters.Target(file, key.copyKeyBytes(), iv);
  }

  private String segmentName(int index) {
    return String.format(Locale.ROOT, segmentPattern, index);
  }

  /** Configures a packager; {@link #build()} validates. */
  public static final class Builder {
    private Duration target = Duration.ofSeconds(6);
    private ContentKeyStore keyStore;
    private boolean clear;
    private String keyUriTemplate;
    private int rotateEvery;
    private int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private long bufferBytes = DEFAULT_BUFFER;
    private SecureRandom random = new SecureRandom();
    private String playlistName = "index.m3u8";
    private String segmentPattern = "segment-%05d.ts";

    private Builder() {}

    /** Target segment duration (default 6 s); segments are cut at the first keyframe at or after it. */
    public Builder targetSegmentDuration(Duration d) {
      this.target = Objects.requireNonNull(d, "d");
      return this;
    }

    /** Where content keys are stored; required unless {@link #unencrypted()}. */
    public Builder keyStore(ContentKeyStore store) {
      this.keyStore = Objects.requireNonNull(store, "store");
      return this;
    }

    /** The key URI written to the playlist; must contain {@code {keyId}}, e.g. {@code https://host/keys/{keyId}}. */
    public Builder keyUriTemplate(String template) {
      this.keyUriTemplate = Objects.requireNonNull(template, "template");
      return this;
    }

    /** Starts a new content key every {@code n} segments; 0 (default) uses one key for the whole stream. */
    public Builder keyRotationEvery(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("n must be >= 0");
      }
      this.rotateEvery = n;
      return this;
    }

    /** Segments encrypted in parallel (default min(2, CPUs)); a segment's CBC chain stays on one thread. */
    public Builder encryptionThreads(int n) {
      if (n < 1 || n > 64) {
        throw new IllegalArgumentException("n must be 1..64");
      }
      this.threads = n;
      return this;
    }

    /**
     * How far the parser may run ahead of the encryption threads (default 64 MiB). For {@link #packageStream}
     * this is input held in memory (at least a few 752 KiB chunks, allocated only as needed), and segments are
     * encrypted in parallel only while the parser can run a whole segment ahead of the busiest encryption
     * thread: give about two segments' worth (two 6 s segments at 40 Mbit/s are 60 MB) for full use of
     * {@link #encryptionThreads}. For {@link #packageFile} the threads re-read their ranges from the file, so
     * this bounds queued work, not memory (about 4 chunks plus one per thread). Never bounded by the input length.
     */
    public Builder bufferSize(long bytes) {
      if (bytes < 0 || bytes > (1L << 34)) {
        throw new IllegalArgumentException("bufferSize must be 0..16 GiB");
      }
      this.bufferBytes = bytes;
      return this;
    }

    public Builder secureRandom(SecureRandom r) {
      this.random = Objects.requireNonNull(r, "r");
      return this;
    }

    /** Writes clear segments and no key tags. Explicit on purpose: MediaStore streams are encrypted. */
    public Builder unencrypted() {
      this.clear = true;
      return this;
    }

    public Builder playlistName(String name) {
      this.playlistName = Objects.requireNonNull(name, "name");
      return this;
    }

    /** A {@link String#format} pattern with one integer, default {@code segment-%05d.ts}. */
    public Builder segmentNamePattern(String pattern) {
      this.segmentPattern = Objects.requireNonNull(pattern, "pattern");
      return this;
    }

    public HlsPackager build() {
      if (target.compareTo(Duration.ofMillis(100)) < 0 || target.compareTo(Duration.ofMinutes(10)) > 0) {
        throw new IllegalArgumentException("target segment duration must be between 100 ms and 10 min");
      }
      if (clear) {
        if (keyStore != null) {
          throw new IllegalStateException("unencrypted() and keyStore() exclude each other");
        }
      } else {
        if (keyStore == null) {
          throw new IllegalStateException("a keyStore is required (or say unencrypted() explicitly)");
        }
        if (keyUriTemplate == null || !keyUriTemplate.contains("{keyId}")) {
          throw new IllegalStateException("keyUriTemplate must contain {keyId}");
        }
        io.mediastore.hls.internal.AttributeList.checkQuotable(keyUriTemplate, "keyUriTemplate");
      }
      String probe = String.format(Locale.ROOT, segmentPattern, 7);
      if (probe.contains("/") || probe.contains("\\") || probe.startsWith(".") || probe.equals(String.format(Locale.ROOT, segmentPattern, 8))) {
        throw new IllegalArgumentException("segmentNamePattern must give distinct plain file names");
      }
      if (playlistName.contains("/") || playlistName.startsWith(".") || playlistName.isEmpty()) {
        throw new IllegalArgumentException("playlistName must be a plain file name");
      }
      return new HlsPackager(this);
    }
  }
}
