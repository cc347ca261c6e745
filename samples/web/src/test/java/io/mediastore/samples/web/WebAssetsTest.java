package io.mediastore.samples.web;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The checks on the build output directory (target/classes), as the test class path sees it. */
class WebAssetsTest extends WebAssetsChecks {
  @Override
  Path root() throws IOException {
    URL index = WebAssetsTest.class.getResource("/META-INF/mediastore-web/index.html");
    if (index == null) {
      throw new IOException("META-INF/mediastore-web/index.html is not on the class path");
    }
    try {
      return Path.of(index.toURI()).getParent();
    } catch (URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
