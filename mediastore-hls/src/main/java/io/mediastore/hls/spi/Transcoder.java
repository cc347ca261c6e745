package io.mediastore.hls.spi;

import io.mediastore.hls.MediaInfo;
import io.mediastore.hls.TranscodeJob;
import io.mediastore.hls.TranscodeRequest;
import java.nio.file.Path;

/**
 * Makes derivative renditions. The default is {@link io.mediastore.hls.FfmpegTranscoder}, registered in
 * {@code META-INF/services}; install another explicitly or through {@link java.util.ServiceLoader}.
 */
public interface Transcoder {
  /** What the file contains; throws {@link io.mediastore.hls.HlsException} NOT_MEDIA for a file that is not audio or video. */
  MediaInfo probe(Path input);

  /** Starts one transcode and returns at once. */
  TranscodeJob start(TranscodeRequest request);
}
