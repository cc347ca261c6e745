package io.mediastore.hls;

/** Progress of a transcode, from ffmpeg's {@code -progress} output; called on a worker thread. */
@FunctionalInterface
public interface TranscodeListener {
  /** {@code fraction} in [0, 1]; {@code processedSeconds} of output written so far. */
  void progress(double fraction, double processedSeconds);

  TranscodeListener NONE = (f, s) -> {};
}
