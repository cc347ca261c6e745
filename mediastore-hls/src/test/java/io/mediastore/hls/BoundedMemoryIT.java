package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packager streams: 300 MB of TS, encrypted, in a JVM whose whole heap is 96 MB (the default buffer is 64 MiB). */
class BoundedMemoryIT {
  @TempDir Path dir;

  @Test
  void packagesAndEncrypts300MbInA96MbHeap() throws Exception {
    Path out = dir.resolve("hls");
    String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(javaExe, "-Xmx96m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
        BoundedMemoryMain.class.getName(), out.toString(), dir.resolve("keys").toString(), "300"))
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String log = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
    assertEquals(0, p.exitValue(), log);
    assertTrue(log.contains("segments="), log);
    MediaPlaylist pl = MediaPlaylist.parse(Files.readString(out.resolve("index.m3u8")));
    long seconds = Math.round(pl.duration());
    assertTrue(seconds >= 250, "about one second per MB: " + seconds);
    assertTrue(pl.segments().size() >= 60, log);
    long total = 0;
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        total += Files.size(f);
      }
    }
    assertTrue(total > 300_000_000L, "all of it was written: " + total);
  }
}
