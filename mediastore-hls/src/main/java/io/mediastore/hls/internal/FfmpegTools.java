package io.mediastore.hls.internal;

import io.mediastore.hls.HlsException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the ffmpeg and ffprobe executables shipped in {@code org.bytedeco:ffmpeg} (platform jar),
 * through reflection so that a host using a system ffmpeg may drop those jars. JavaCPP extracts them
 * once into its cache ({@code ~/.javacpp/cache}); on Debian the bundled build needs {@code libpulse0}.
 */
public final class FfmpegTools {
  private FfmpegTools() {}

  /** The bundled executable: {@code "ffmpeg"} or {@code "ffprobe"}. */
  public static synchronized Path bundled(String tool) {
    if (!tool.equals("ffmpeg") && !tool.equals("ffprobe")) {
      throw new IllegalArgumentException("ffmpeg or ffprobe");
    }
    try {
      Class<?> loader = Class.forName("org.bytedeco.javacpp.Loader");
      Class<?> presets = Class.forName("org.bytedeco.ffmpeg." + tool);
      Method load = loader.getMethod("load", Class.class);
      Object path = load.invoke(null, presets);
      Path p = Path.of(String.valueOf(path));
      if (!Files.isExecutable(p)) {
        throw new HlsException(HlsException.Reason.TOOL_UNAVAILABLE, "the bundled " + tool + " at " + p + " is not executable");
      }
      return p;
    } catch (ClassNotFoundException e) {
      throw new HlsException(HlsException.Reason.TOOL_UNAVAILABLE,
          "org.bytedeco:ffmpeg (with its platform classifier) is not on the class path; add it or configure a system " + tool, e);
    } catch (ReflectiveOperationException | LinkageError e) {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      throw new HlsException(HlsException.Reason.TOOL_UNAVAILABLE,
          "cannot extract the bundled " + tool + " (" + c + "); on Debian install libpulse0, or configure a system " + tool, e);
    }
  }
}
