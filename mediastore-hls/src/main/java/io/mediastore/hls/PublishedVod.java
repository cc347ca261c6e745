package io.mediastore.hls;

import java.nio.file.Path;
import java.util.List;

/** The result of {@link VodPublisher#publish}: the master playlist and each packaged rendition. */
public record PublishedVod(Path masterFile, MasterPlaylist master, List<PackagedStream> renditions) {
  public PublishedVod {
    renditions = List.copyOf(renditions);
  }
}
