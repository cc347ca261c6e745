package io.mediastore.hls;

import io.mediastore.hls.internal.FfmpegTools;
import io.mediastore.hls.spi.Transcoder;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default {@link Transcoder}: runs the ffmpeg and ffprobe executables bundled in
 * {@code org.bytedeco:ffmpeg} (H.264 through openh264, AAC), or configured system ones. Output is
 * MPEG-TS with a keyframe forced at every multiple of the segment duration. Thread-safe.
 */
@Singleton
public final class FfmpegTranscoder implements Transcoder {
  private static final Logger LOG = LoggerFactory.getLogger(FfmpegTranscoder.class);
  private final Path ffmpeg;
  private final Path ffprobe;
  private final String videoEncoder;
  private final String audioEncoder;

  /** Uses the bundled executables, resolved on first use. */
  @Inject
  public FfmpegTranscoder() {
    this(null, null, "libopenh264", "aac");
  }

  private FfmpegTranscoder(Path ffmpeg, Path ffprobe, String videoEncoder, String audioEncoder) {
    this.ffmpeg = ffmpeg;
    this.ffprobe = ffprobe;
    this.videoEncoder = videoEncoder;
    this.audioEncoder = audioEncoder;
  }

  /**
   * Uses system executables (for example {@code /usr/bin/ffmpeg}) and encoders (for example
   * {@code libx264}); pass null for a path to keep the bundled one.
   */
  public static FfmpegTranscoder withTools(Path ffmpeg, Path ffprobe, String videoEncoder, String audioEncoder) {
    return new FfmpegTranscoder(ffmpeg, ffprobe, Objects.requireNonNull(videoEncoder, "videoEncoder"),
        Objects.requireNonNull(audioEncoder, "audioEncoder"));
  }

  private Path ffmpeg() {
    return ffmpeg != null ? ffmpeg : FfmpegTools.bundled("ffmpeg");
  }

  private Path ffprobe() {
    return ffprobe != null ? ffprobe : FfmpegTools.bundled("ffprobe");
  }

  /**
   * Media containers an upload may be in. Others are refused by FFmpeg itself, above all playlists and lists (HLS,
   * concat) that would make it read other files on this machine into the upload's renditions.
   */
  static final String ACCEPTED_CONTAINERS = String.join(",",
      // video: mp4/mov/3gp, mkv/webm, transport and program streams, camcorder, broadcast and other containers
      "mov", "matroska", "webm", "mpegts", "mpegtsraw", "mpeg", "mpegvideo", "avi", "flv", "asf", "ogg", "nut", "dv", "mxf",
      "gxf", "wtv", "rm", "ivf", "h264", "hevc", "m4v", "obu", "yuv4mpegpipe",
      // audio
      "mp3", "wav", "w64", "aiff", "caf", "au", "aac", "ac3", "eac3", "dts", "truehd", "mlp", "flac", "amr", "amrnb", "amrwb",
      "ape", "tta", "wv");

  /** The input arguments: only the accepted containers, only the file itself (a name is never read as a URL). */
  private static List<String> confinedInput(Path input) {
    return List.of("-format_whitelist", ACCEPTED_CONTAINERS, "-protocol_whitelist", "file",
        "-i", "file:" + input.toAbsolutePath());
  }

  @Override
  public MediaInfo probe(Path input) {
    if (!Files.isRegularFile(input)) {
      throw new HlsException(HlsException.Reason.IO, "no such file: " + input);
    }
    List<String> cmd = new ArrayList<>(List.of(ffprobe().toString(), "-v", "error", "-show_entries",
        "stream=codec_type,width,height,avg_frame_rate:stream_disposition=attached_pic:format=format_name,duration",
        "-of", "flat"));
    cmd.addAll(confinedInput(input));
    String out;
    String err;
    int code;
    try {
      Process p = start(cmd);
      StreamTail errTail = new StreamTail(p.getErrorStream());
      errTail.start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new HlsException(HlsException.Reason.NOT_MEDIA, "ffprobe did not finish on " + input);
      }
      errTail.join();
      err = errTail.tail();
      code = p.exitValue();
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.TOOL_UNAVAILABLE, "cannot run ffprobe", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HlsException(HlsException.Reason.CANCELLED, "interrupted while probing", e);
    }
    if (code != 0) {
      throw new HlsException(HlsException.Reason.NOT_MEDIA, input.getFileName() + " is not audio or video: " + err.strip());
    }
    Map<String, String> kv = new HashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        kv.put(line.substring(0, eq), line.substring(eq + 1).replace("\"", ""));
      }
    }
    String format = kv.getOrDefault("format.format_name", "");
    double duration = parseDouble(kv.get("format.duration"));
    boolean video = false;
    boolean audio = false;
    int w = 0;
    int h = 0;
    double fps = 0;
    for (int i = 0; kv.containsKey("streams.stream." + i + ".codec_type"); i++) {
      String pre = "streams.stream." + i + ".";
      String type = kv.get(pre + "codec_type");
      if (type.equals("video") && !video && !"1".equals(kv.get(pre + "disposition.attached_pic"))) {
        video = true;
        w = (int) parseDouble(kv.get(pre + "width"));
        h = (int) parseDouble(kv.get(pre + "height"));
        fps = rate(kv.get(pre + "avg_frame_rate"));
      } else if (type.equals("audio")) {
        audio = true;
      }
    }
    // a still image is a one-frame "video" to ffprobe: not something to stream
    if ((!video && !audio) || format.endsWith("_pipe") || format.equals("image2") || !(duration > 0)) {
      throw new HlsException(HlsException.Reason.NOT_MEDIA,
          input.getFileName() + " has no audio or video stream with a duration (format " + format + ")");
    }
    return new MediaInfo(duration, video, w, h, fps, audio);
  }

  private static double parseDouble(String s) {
    try {
      return s == null ? 0 : Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double rate(String r) {
    if (r == null) {
      return 0;
    }
    int slash = r.indexOf('/');
    if (slash < 0) {
      return parseDouble(r);
    }
    double den = parseDouble(r.substring(slash + 1));
    return den == 0 ? 0 : parseDouble(r.substring(0, slash)) / den;
  }

  @Override
  public TranscodeJob start(TranscodeRequest req) {
    MediaInfo src = req.source();
    Rendition r = req.rendition();
    List<String> cmd = new ArrayList<>(List.of(ffmpeg().toString(), "-hide_banner", "-nostdin", "-y", "-loglevel", "error"));
    cmd.addAll(confinedInput(req.input()));
    boolean video = r.height() > 0 && src.hasVideo();
    if (video) {
      double fps = src.frameRate() > 0 ? src.frameRate() : 25;
      String d = String.format(Locale.ROOT, "%.3f", req.keyframeSeconds());
      cmd.addAll(List.of("-map", "0:v:0", "-vf", "scale=-2:" + r.height(), "-pix_fmt", "yuv420p",
          "-c:v", videoEncoder, "-b:v", String.valueOf(r.videoBitrate()),
          "-g", String.valueOf(Math.max(1, Math.round(fps * req.keyframeSeconds()))),
          "-force_key_frames", "expr:gte(t,n_forced*" + d + ")"));
    }
    if (src.hasAudio()) {
      cmd.addAll(List.of("-map", "0:a:0", "-c:a", audioEncoder, "-b:a", String.valueOf(r.audioBitrate()), "-ac", "2"));
    }
    if (!video && !src.hasAudio()) {
      throw new IllegalArgumentException("rendition " + r.name() + " needs video the source does not have");
    }
    cmd.addAll(List.of("-f", "mpegts", "-progress", "pipe:1", "-nostats", req.output().toString()));
    Process p;
    try {
      p = start(cmd);
    } catch (IOException e) {
      throw new HlsException(HlsException.Reason.TOOL_UNAVAILABLE, "cannot run ffmpeg", e);
    }
    LOG.debug("transcoding {} to {} ({})", req.input().getFileName(), r.name(), req.output());
    return new Job(p, req);
  }

  private static Process start(List<String> cmd) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Process p = pb.start();
    p.getOutputStream().close();
    return p;
  }

  /** Keeps the last few KB of a stream, for error messages. */
  private static final class StreamTail extends Thread {
    private final InputStream in;
    private final StringBuilder tail = new StringBuilder();

    StreamTail(InputStream in) {
      this.in = in;
      setDaemon(true);
    }

    @Override
    public void run() {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          synchronized (tail) {
            tail.append(line).append('\n');
            if (tail.length() > 4000) {
              tail.delete(0, tail.length() - 2000);
            }
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }

    String tail() {
      synchronized (tail) {
        return tail.toString();
      }
    }
  }

  private static final class Job implements TranscodeJob {
    private final Process process;
    private final TranscodeRequest req;
    private final StreamTail err;
    private final Thread progress;
    private volatile boolean cancelled;

    Job(Process process, TranscodeRequest req) {
      this.process = process;
      this.req = req;
      this.err = new StreamTail(process.getErrorStream());
      err.start();
      this.progress = new Thread(this::readProgress, "mediastore-hls-ffmpeg-progress");
      progress.setDaemon(true);
      progress.start();
    }

    private void readProgress() {
      double total = req.source().durationSeconds();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("out_time_us=")) {
            double us = parseDouble(line.substring(12));
            if (us >= 0 && total > 0) {
              notify(Math.min(1.0, us / 1e6 / total), us / 1e6);
            }
          } else if (line.equals("progress=end")) {
            notify(1.0, total);
          }
        }
      } catch (IOException ignored) {
        // the process ended
      }
    }

    private void notify(double f, double s) {
      try {
        req.listener().progress(f, s);
      } catch (RuntimeException e) {
        LOG.warn("transcode listener failed", e);
      }
    }

    @Override
    public Path await() {
      try {
        int code = process.waitFor();
        progress.join();
        err.join();
        if (cancelled) {
          deleteOutput();
          throw new HlsException(HlsException.Reason.CANCELLED, "transcode to " + req.rendition().name() + " was cancelled");
        }
        if (code != 0) {
          deleteOutput();
          throw new HlsException(HlsException.Reason.TRANSCODE_FAILED,
              "ffmpeg exited with " + code + " for " + req.rendition().name() + ": " + err.tail().strip());
        }
        return req.output();
      } catch (InterruptedException e) {
        cancel();
        Thread.currentThread().interrupt();
        throw new HlsException(HlsException.Reason.CANCELLED, "interrupted", e);
      }
    }

    private void deleteOutput() {
      try {
        Files.deleteIfExists(req.output());
      } catch (IOException e) {
        LOG.warn("cannot delete partial output {}", req.output(), e);
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public boolean isDone() {
      return !process.isAlive();
    }
  }
}
