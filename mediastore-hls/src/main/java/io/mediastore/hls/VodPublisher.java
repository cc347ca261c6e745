package io.mediastore.hls;

import io.mediastore.hls.spi.Transcoder;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * Turns an uploaded video into encrypted HLS: probes it, transcodes each rendition of the ladder that
 * does not upscale (keyframes on segment boundaries), packages and encrypts each with the
 * {@link HlsPackager}, and writes {@code master.m3u8} with bandwidths and codecs measured from the output.
 * Layout: {@code outDir/master.m3u8}, {@code outDir/<rendition>/index.m3u8} and its segments.
 */
@Singleton
public final class VodPublisher {
  private final Transcoder transcoder;
  private final HlsPackager packager;
  private final RenditionLadder ladder;

  /** For dependency injection; {@link #create} says the same in code. */
  @Inject
  public VodPublisher(Transcoder transcoder, HlsPackager packager, RenditionLadder ladder) {
    this.transcoder = Objects.requireNonNull(transcoder, "transcoder");
    this.packager = Objects.requireNonNull(packager, "packager");
    this.ladder = Objects.requireNonNull(ladder, "ladder");
  }

  /** With the first {@link Transcoder} found by {@link ServiceLoader} (the bundled FFmpeg one by default). */
  public static VodPublisher create(HlsPackager packager, RenditionLadder ladder) {
    Transcoder t = ServiceLoader.load(Transcoder.class).findFirst().orElseGet(FfmpegTranscoder::new);
    return create(t, packager, ladder);
  }

  public static VodPublisher create(Transcoder transcoder, HlsPackager packager, RenditionLadder ladder) {
    return new VodPublisher(transcoder, packager, ladder);
  }

  /** Publishes {@code input}; progress runs from 0 to 1 over all renditions. Temporary files are removed. */
  public PublishedVod publish(Path input, Path outDir, TranscodeListener listener) {
    TranscodeListener l = listener == null ? TranscodeListener.NONE : listener;
    packager.checkKeysApartFrom(outDir);
    MediaInfo src = transcoder.probe(input);
    List<Rendition> rungs = ladder.select(src);
    List<PackagedStream> out = new ArrayList<>();
    List<MasterPlaylist.Variant> variants = new ArrayList<>();
    Path work;
    try {
      Files.createDirectories(outDir);
      // clear intermediates never go under outDir, which may be published as it is written
      work = Files.createTempDirectory("mediastore-hls-");
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.IO, "cannot create " + outDir, e);
    }
    try {
      for (int i = 0; i < rungs.size(); i++) {
        Rendition r = rungs.get(i);
        int index = i;
        Path ts = work.resolve(r.name() + ".ts");
        TranscodeJob job = transcoder.start(new TranscodeRequest(input, ts, r, src, packager.targetSeconds(),
            (f, s) -> l.progress((index + f) / rungs.size(), s)));
        job.await();
        MediaInfo made = transcoder.probe(ts);
        PackagedStream ps = packager.packageFile(ts, outDir.resolve(r.name()));
        out.add(ps);
        variants.add(new MasterPlaylist.Variant(ps.peakBandwidth(), ps.averageBandwidth(),
            made.hasVideo() ? made.width() + "x" + made.height() : null, ps.codecs(),
            r.name() + "/" + ps.playlistFile().getFileName()));
        Files.delete(ts);
      }
      MasterPlaylist master = new MasterPlaylist(3, variants);
      Path m = outDir.resolve("master.m3u8");
      Files.writeString(m, master.render(), StandardCharsets.UTF_8);
      l.progress(1.0, src.durationSeconds());
      return new PublishedVod(m, master, out);
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.IO, "publishing into " + outDir + " failed", e);
    } finally {
      try (var files = Files.list(work)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(f);
        }
        Files.deleteIfExists(work);
      } catch (IOException ignored) {
        // a leftover temporary directory holds only clear intermediate files of this publish
      }
    }
  }
}
