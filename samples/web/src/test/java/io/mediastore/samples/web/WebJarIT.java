package io.mediastore.samples.web;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;

/** The same checks on the packaged jar: what the server really serves. */
class WebJarIT extends WebAssetsChecks {
  private static FileSystem jar;

  @Override
  Path root() throws IOException {
    if (jar == null) {
      String file = System.getProperty("mediastore.web.jar");
      if (file == null || !Files.isRegularFile(Path.of(file))) {
        throw new IOException("system property mediastore.web.jar must name the packaged jar, got " + file);
      }
      jar = FileSystems.newFileSystem(URI.create("jar:" + Path.of(file).toUri()), Map.of());
    }
    return jar.getPath("/META-INF/mediastore-web");
  }

  @AfterAll
  static void close() throws IOException {
    if (jar != null) {
      jar.close();
      jar = null;
    }
  }
}
