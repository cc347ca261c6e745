package io.mediastore.samples.server;

import io.mediastore.hls.HlsException;
import io.mediastore.hls.internal.FfmpegTools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Tiny test clips made with the ffmpeg bundled in org.bytedeco:ffmpeg; skipped where it cannot run, failing under CI=true. */
final class Media {
    private Media() {
    }

    static Path ffmpeg() {
        try {
            return FfmpegTools.bundled("ffmpeg");
        } catch (HlsException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("the bundled ffmpeg must run under CI=true: " + e.getMessage(), e);
            }
            assumeTrue(false, "bundled ffmpeg unavailable: " + e.getMessage());
            throw e;
        }
    }

    /** An MP4 (H.264 + AAC) test pattern of {@code seconds} at {@code size}. */
    static Path mp4(Path out, int seconds, String size) throws IOException, InterruptedException {
        List<String> cmd = List.of(ffmpeg().toString(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + size + ":rate=25:duration=" + seconds,
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=" + seconds,
                "-c:v", "libopenh264", "-b:v", "400k", "-c:a", "aac", "-shortest", out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ffmpeg failed: " + log);
        }
        assumeTrue(Files.size(out) > 0);
        return out;
    }
}
