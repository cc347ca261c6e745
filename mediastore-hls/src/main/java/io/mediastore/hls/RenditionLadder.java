package io.mediastore.hls;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The renditions to make; {@link #select} never upscales. */
public record RenditionLadder(List<Rendition> renditions) {
  public RenditionLadder {
    renditions = new ArrayList<>(renditions);
    if (renditions.isEmpty()) {
      throw new IllegalArgumentException("a ladder has at least one rendition");
    }
    renditions.sort(Comparator.comparingInt(Rendition::height).reversed());
    renditions = List.copyOf(renditions);
    if (renditions.stream().map(Rendition::name).distinct().count() != renditions.size()) {
      throw new IllegalArgumentException("rendition names must differ");
    }
  }

  /** 1080p 5 Mbit/s, 720p 2.8 Mbit/s, 480p 1.4 Mbit/s, 240p 400 kbit/s (audio 128/128/96/64 kbit/s). */
  public static RenditionLadder standard() {
    return new RenditionLadder(List.of(
        new Rendition("1080p", 1080, 5_000_000, 128_000),
        new Rendition("720p", 720, 2_800_000, 128_000),
        new Rendition("480p", 480, 1_400_000, 96_000),
        new Rendition("240p", 240, 400_000, 64_000)));
  }

  /**
   * The renditions for a source: those no taller than the source; when the source is smaller than every
   * rung, one rendition at the source's own height with the lowest rung's bitrates; for audio-only
   * input, one audio rendition with the highest audio bitrate.
   */
  public List<Rendition> select(MediaInfo source) {
    if (!source.hasVideo()) {
      long audio = renditions.stream().mapToLong(Rendition::audioBitrate).max().orElseThrow();
      return List.of(new Rendition("audio", 0, 0, audio));
    }
    List<Rendition> out = new ArrayList<>();
    for (Rendition r : renditions) {
      if (r.height() > 0 && r.height() <= source.height()) {
        out.add(r);
      }
    }
    if (out.isEmpty()) {
      Rendition low = renditions.get(renditions.size() - 1);
      int h = Math.max(2, source.height() & ~1);
      out.add(new Rendition(h + "p", h, low.videoBitrate(), low.audioBitrate()));
    }
    return List.copyOf(out);
  }
}
