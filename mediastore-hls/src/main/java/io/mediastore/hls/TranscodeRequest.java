package io.mediastore.hls;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Transcode {@code input} into one MPEG-TS {@code output} for {@code rendition}, with a keyframe at every
 * multiple of {@code keyframeSeconds} (the segment duration), so renditions switch cleanly.
 */
public record TranscodeRequest(Path input, Path output, Rendition rendition, MediaInfo source, double keyframeSeconds,
    TranscodeListener listener) {
  public TranscodeRequest {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(rendition, "rendition");
    Objects.requireNonNull(source, "source");
    if (!(keyframeSeconds >= 0.1)) {
      throw new IllegalArgumentException("keyframeSeconds must be >= 0.1");
    }
    listener = listener == null ? TranscodeListener.NONE : listener;
  }
}
