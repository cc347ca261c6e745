package io.mediastore.hls;

/**
 * One rung of a ladder: a name (also the output directory), the video height in pixels (0 for an
 * audio-only rendition; the width follows the source's aspect ratio), and bitrates in bits per second.
 */
public record Rendition(String name, int height, long videoBitrate, long audioBitrate) {
  public Rendition {
    if (name == null || !name.matches("[A-Za-z0-9_-]{1,32}")) {
      throw new IllegalArgumentException("name is 1-32 characters of [A-Za-z0-9_-]");
    }
    if (height < 0 || height > 4320 || height % 2 != 0) {
      throw new IllegalArgumentException("height must be even and 0..4320");
    }
    if (height > 0 && videoBitrate < 10_000) {
      throw new IllegalArgumentException("videoBitrate must be >= 10 kbit/s");
    }
    if (audioBitrate < 8_000) {
      throw new IllegalArgumentException("audioBitrate must be >= 8 kbit/s");
    }
  }
}
