package io.mediastore.hls;

import java.nio.file.Path;

/** A running transcode. */
public interface TranscodeJob {
  /** Waits for the output; throws {@link HlsException} (TRANSCODE_FAILED, CANCELLED, NOT_MEDIA). */
  Path await();

  /** Stops the job and deletes its partial output; {@link #await()} then throws CANCELLED. */
  void cancel();

  boolean isDone();
}
