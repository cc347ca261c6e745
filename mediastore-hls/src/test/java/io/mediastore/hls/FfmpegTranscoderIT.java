package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediastore.hls.spi.Transcoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class FfmpegTranscoderIT extends TranscoderContract {
  final FfmpegTranscoder t = new FfmpegTranscoder();

  @Override
  protected Transcoder newTranscoder() {
    return t;
  }

  @Test
  void isTheServiceLoaderDefault() {
    assertTrue(ServiceLoader.load(Transcoder.class).findFirst().orElseThrow() instanceof FfmpegTranscoder);
  }

  @Test
  void audioOnlySourceGetsOneAudioRendition() throws Exception {
    Path src = dir.resolve("a.m4a");
    Media.ffmpeg("-f", "lavfi", "-i", "sine=duration=3", "-c:a", "aac", src.toString());
    MediaInfo info = t.probe(src);
    assertFalse(info.hasVideo());
    List<Rendition> r = RenditionLadder.standard().select(info);
    assertEquals(1, r.size());
    assertEquals(0, r.get(0).height());
    FileContentKeyStore store = new FileContentKeyStore(dir.resolve("keys"), MasterKey.generate(new SecureRandom()));
    HlsPackager p = HlsPackager.builder().keyStore(store).keyUriTemplate("/k/{keyId}").build();
    PublishedVod vod = VodPublisher.create(t, p, RenditionLadder.standard()).publish(src, dir.resolve("pub"), null);
    assertEquals(1, vod.master().variants().size());
    assertEquals("mp4a.40.2", vod.master().variants().get(0).codecs());
    assertEquals(null, vod.master().variants().get(0).resolution());
  }

  @Test
  void notMediaIsRefusedClearly() throws Exception {
    Path text = Files.writeString(dir.resolve("report.pdf"), "%PDF-1.4 not really\n".repeat(50));
    HlsException e = assertThrows(HlsException.class, () -> t.probe(text));
    assertEquals(HlsException.Reason.NOT_MEDIA, e.reason());
    Path png = dir.resolve("still.png");
    Media.ffmpeg("-f", "lavfi", "-i", "testsrc2=size=64x64", "-frames:v", "1", png.toString());
    assertEquals(HlsException.Reason.NOT_MEDIA, assertThrows(HlsException.class, () -> t.probe(png)).reason());
    FileContentKeyStore store = new FileContentKeyStore(dir.resolve("keys"), MasterKey.generate(new SecureRandom()));
    HlsPackager p = HlsPackager.builder().keyStore(store).keyUriTemplate("/k/{keyId}").build();
    HlsException pub = assertThrows(HlsException.class,
        () -> VodPublisher.create(t, p, RenditionLadder.standard()).publish(text, dir.resolve("pub"), null));
    assertEquals(HlsException.Reason.NOT_MEDIA, pub.reason());
  }

  @Test
  void anUploadedPlaylistOrListCannotPullInOtherFiles() throws Exception {
    // another user's clip on the same disk; an "upload" naming it would otherwise be probed and transcoded as its own
    Path secret = Media.mp4(dir.resolve("other-users-private.mp4"), 2, "320x180");
    assertTrue(t.probe(secret).durationSeconds() > 0, "the clip itself is fine media");
    Path playlist = Files.writeString(dir.resolve("upload.m3u8"),
        "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:2,\n" + secret.toAbsolutePath() + "\n#EXT-X-ENDLIST\n");
    Path list = Files.writeString(dir.resolve("upload.ffconcat"), "ffconcat version 1.0\nfile '" + secret.toAbsolutePath() + "'\n");
    for (Path upload : List.of(playlist, list)) {
      HlsException e = assertThrows(HlsException.class, () -> t.probe(upload), upload.toString());
      assertEquals(HlsException.Reason.NOT_MEDIA, e.reason());
      HlsException transcode = assertThrows(HlsException.class, () -> t.start(new TranscodeRequest(upload, dir.resolve("x.ts"),
          new Rendition("180p", 180, 200_000, 64_000), t.probe(secret), 2.0, null)).await(), "even with a forged probe result");
      assertEquals(HlsException.Reason.TRANSCODE_FAILED, transcode.reason());
    }
  }

  @Test
  void camcorderBroadcastAndAudioContainersAreAccepted() throws Exception {
    // the demuxer allowlist must not cost uploads that worked before it: DV, MXF, AIFF, raw H.264, AC-3
    Path dv = dir.resolve("camcorder.dv");
    Media.ffmpeg("-f", "lavfi", "-i", "testsrc=size=720x576:rate=25:d=2", "-f", "lavfi", "-i", "sine=d=2:sample_rate=48000",
        "-target", "pal-dv", dv.toString());
    Path mxf = dir.resolve("xdcam.mxf");
    Media.ffmpeg("-f", "lavfi", "-i", "testsrc=size=320x240:rate=25:d=2", "-c:v", "mpeg2video", mxf.toString());
    Path aiff = dir.resolve("voice.aiff");
    Media.ffmpeg("-f", "lavfi", "-i", "sine=d=2", aiff.toString());
    Path ac3 = dir.resolve("surround.ac3");
    Media.ffmpeg("-f", "lavfi", "-i", "sine=d=2", "-c:a", "ac3", ac3.toString());
    for (Path p : List.of(dv, mxf, aiff, ac3)) {
      assertTrue(t.probe(p).durationSeconds() > 1, p.toString());
    }
  }

  @Test
  void aFailingFfmpegReportsItsError() throws Exception {
    Path src = Media.mp4(dir.resolve("s.mp4"), 2, "320x180");
    // configured executables (here the bundled ones by path, as a deployment would name /usr/bin/ffmpeg)
    FfmpegTranscoder configured = FfmpegTranscoder.withTools(Media.ffmpeg(), Media.ffprobe(), "libopenh264", "aac");
    assertEquals(320, configured.probe(src).width());
    FfmpegTranscoder missing = FfmpegTranscoder.withTools(dir.resolve("no-ffmpeg"), dir.resolve("no-ffprobe"), "libopenh264", "aac");
    assertEquals(HlsException.Reason.TOOL_UNAVAILABLE, assertThrows(HlsException.class, () -> missing.probe(src)).reason());
    FfmpegTranscoder broken = FfmpegTranscoder.withTools(Media.ffmpeg(), Media.ffprobe(), "no_such_encoder", "aac");
    HlsException e = assertThrows(HlsException.class, () -> broken.start(new TranscodeRequest(src, dir.resolve("x.ts"),
        new Rendition("180p", 180, 200_000, 64_000), t.probe(src), 2.0, null)).await());
    assertEquals(HlsException.Reason.TRANSCODE_FAILED, e.reason());
    assertTrue(e.getMessage().contains("no_such_encoder"), e.getMessage());
  }
}
