package io.mediastore.hls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** System tools: a test runs when the tool is present, is skipped otherwise, and fails under CI=true. */
final class Tools {
  private Tools() {}

  static void requireOpenssl() {
    boolean present = Files.isExecutable(Path.of("/usr/bin/openssl")) || Files.isExecutable(Path.of("/usr/local/bin/openssl"));
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("openssl is required under CI=true");
    }
    assumeTrue(present, "openssl not installed");
  }
}
