package io.mediastore.hls;

import java.nio.file.Path;
import java.util.List;

/**
 * One packaged rendition: its media playlist (written to {@code playlistFile}), the ids of the content
 * keys it uses (in the key store, never next to the segments), the measured peak and average
 * bandwidth in bits per second, the RFC 6381 codecs (null when unknown) and the input size.
 */
public record PackagedStream(Path playlistFile, MediaPlaylist playlist, List<String> keyIds, long peakBandwidth,
    long averageBandwidth, String codecs, boolean hasVideo, boolean hasAudio, long inputBytes) {
  public PackagedStream {
    keyIds = List.copyOf(keyIds);
  }
}
