package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packages media made by the bundled ffmpeg and checks every segment byte for byte. */
class HlsPackagerIT {
  @TempDir static Path media;
  @TempDir Path work;
  static Path av;
  static Path bframes;
  static Path h264Bframes;
  static Path longGop;
  static Path audio;
  static Path video;

  @BeforeAll
  static void makeMedia() throws Exception {
    av = Media.h264Aac(media.resolve("av.ts"), 8, 25);
    bframes = Media.bframes(media.resolve("bf.ts"), 6);
    h264Bframes = Media.h264Bframes(media.resolve("h264bf.ts"), 8, 50);
    longGop = Media.h264Aac(media.resolve("long.ts"), 6, 250);
    audio = Media.audioOnly(media.resolve("audio.ts"), 7);
    video = Media.videoOnly(media.resolve("video.ts"), 5, 25);
  }

  FileContentKeyStore store() {
    return new FileContentKeyStore(work.resolve("keys"), MasterKey.generate(new SecureRandom()));
  }

  PackagedStream encrypted(Path in, Path out, FileContentKeyStore store, int rotate) {
    return HlsPackager.builder().keyStore(store).keyUriTemplate("https://keys.example/k/{keyId}")
        .targetSegmentDuration(Duration.ofSeconds(2)).keyRotationEvery(rotate).build().packageFile(in, out);
  }

  PackagedStream clear(Path in, Path out) {
    return HlsPackager.builder().unencrypted().targetSegmentDuration(Duration.ofSeconds(2)).build().packageFile(in, out);
  }

  static String keyId(MediaPlaylist.Key k) {
    return k.uri().substring(k.uri().lastIndexOf('/') + 1);
  }

  static void assertTs(byte[] d) {
    assertTrue(d.length > 0 && d.length % 188 == 0, "length " + d.length);
    for (int i = 0; i < d.length; i += 188) {
      assertEquals(0x47, d[i] & 0xFF, "sync at " + i);
    }
    // every segment opens with PAT then PMT
    assertEquals(0, ((d[1] & 0x1F) << 8) | (d[2] & 0xFF));
    assertNotEquals(0, ((d[189] & 0x1F) << 8) | (d[190] & 0xFF));
  }

  /** Decrypts every segment with the playlist's key and IV and compares with the clear packaging. */
  void assertDecryptsToClear(PackagedStream enc, PackagedStream clr, FileContentKeyStore store) throws Exception {
    List<MediaPlaylist.Segment> es = enc.playlist().segments();
    List<MediaPlaylist.Segment> cs = clr.playlist().segments();
    assertEquals(cs.size(), es.size());
    Set<String> ivs = new HashSet<>();
    for (int i = 0; i < es.size(); i++) {
      MediaPlaylist.Segment s = es.get(i);
      assertEquals(cs.get(i).duration(), s.duration());
      byte[] ct = Files.readAllBytes(enc.playlistFile().resolveSibling(s.uri()));
      byte[] clear = Files.readAllBytes(clr.playlistFile().resolveSibling(cs.get(i).uri()));
      assertEquals(0, ct.length % 16);
      assertTrue(ct.length > clear.length && ct.length <= clear.length + 16, "PKCS#7 pads 1..16 bytes");
      byte[] key = store.get(keyId(s.key())).orElseThrow().copyKeyBytes();
      byte[] iv = s.key().ivFor(enc.playlist().mediaSequence() + i);
      assertTrue(ivs.add(HexFormat.of().formatHex(iv)), "a fresh IV per segment");
      Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
      c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
      byte[] pt = c.doFinal(ct);
      assertArrayEquals(clear, pt, "segment " + i + " decrypts byte for byte to the clear segment");
      assertTs(pt);
    }
  }

  @Test
  void h264AacSegmentsAtKeyframesAndDecryptsExactly() throws Exception {
    FileContentKeyStore store = store();
    PackagedStream enc = encrypted(av, work.resolve("enc"), store, 0);
    PackagedStream clr = clear(av, work.resolve("clear"));
    MediaPlaylist pl = enc.playlist();
    assertEquals(4, pl.segments().size(), pl.render());
    for (MediaPlaylist.Segment s : pl.segments()) {
      assertEquals(2.0, s.duration(), 0.05);
    }
    assertEquals(Media.duration(av.toString()), pl.duration(), 0.1);
    assertEquals(1, enc.keyIds().size());
    // the key URI is the deployment's template with the key id filled in
    for (MediaPlaylist.Segment s : pl.segments()) {
      assertEquals("https://keys.example/k/" + enc.keyIds().get(0), s.key().uri());
    }
    assertTrue(enc.codecs().matches("avc1\\.[0-9A-F]{6},mp4a\\.40\\.2"), enc.codecs());
    assertTrue(enc.hasVideo() && enc.hasAudio());
    assertTrue(enc.peakBandwidth() >= enc.averageBandwidth());
    assertEquals(pl, MediaPlaylist.parse(Files.readString(enc.playlistFile())));
    String text = Files.readString(enc.playlistFile());
    assertTrue(text.contains("#EXT-X-PLAYLIST-TYPE:VOD") && text.contains("#EXT-X-ENDLIST") && text.contains("#EXT-X-TARGETDURATION:2"));
    assertDecryptsToClear(enc, clr, store);
    // keys never sit next to the segments
    try (Stream<Path> files = Files.list(work.resolve("enc"))) {
      assertTrue(files.allMatch(f -> f.toString().endsWith(".ts") || f.toString().endsWith(".m3u8")));
    }
    // the clear segments play: every decoded frame is there
    int frames = 0;
    for (MediaPlaylist.Segment s : clr.playlist().segments()) {
      Path f = clr.playlistFile().resolveSibling(s.uri());
      frames += Media.videoFrames(f.toString());
    }
    assertEquals(Media.videoFrames(av.toString()), frames);
  }

  @Test
  void opensslDecryptsASegmentAndTheWrongKeyFails() throws Exception {
    FileContentKeyStore store = store();
    PackagedStream enc = encrypted(av, work.resolve("enc"), store, 0);
    PackagedStream clr = clear(av, work.resolve("clear"));
    Tools.requireOpenssl();
    MediaPlaylist.Segment s = enc.playlist().segments().get(1);
    byte[] key = store.get(keyId(s.key())).orElseThrow().copyKeyBytes();
    Path in = enc.playlistFile().resolveSibling(s.uri());
    Path out = work.resolve("dec.ts");
    Media.run(List.of("openssl", "aes-128-cbc", "-d", "-K", HexFormat.of().formatHex(key), "-iv", s.key().ivHex(),
        "-in", in.toString(), "-out", out.toString()));
    byte[] dec = Files.readAllBytes(out);
    assertTs(dec);
    assertArrayEquals(Files.readAllBytes(clr.playlistFile().resolveSibling(clr.playlist().segments().get(1).uri())), dec);
    byte[] wrong = key.clone();
    wrong[0] ^= 1;
    // openssl with the wrong key: "bad decrypt" (padding), or, rarely, bytes that are not the segment
    Path bad = work.resolve("bad.ts");
    try {
      Media.run(List.of("openssl", "aes-128-cbc", "-d", "-K", HexFormat.of().formatHex(wrong), "-iv", s.key().ivHex(),
          "-in", in.toString(), "-out", bad.toString()));
      assertFalse(Arrays.equals(dec, Files.readAllBytes(bad)), "the wrong key does not give the segment");
    } catch (IOException expected) {
      assertTrue(expected.getMessage().contains("bad decrypt"), expected.getMessage());
    }
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(wrong, "AES"), new IvParameterSpec(s.key().ivFor(1)));
    byte[] ct = Files.readAllBytes(in);
    try {
      byte[] pt = c.doFinal(ct);
      int sync = 0;
      for (int i = 0; i + 188 <= pt.length; i += 188) {
        sync += (pt[i] & 0xFF) == 0x47 ? 1 : 0;
      }
      assertTrue(sync < pt.length / 188 / 2, "a wrong key does not yield TS");
    } catch (BadPaddingException expected) {
      // the usual outcome: garbage padding
    }
  }

  @Test
  void keyRotationStartsANewKeyEveryNSegments() throws Exception {
    FileContentKeyStore store = store();
    PackagedStream enc = encrypted(av, work.resolve("enc"), store, 2);
    PackagedStream clr = clear(av, work.resolve("clear"));
    assertEquals(2, enc.keyIds().size());
    List<MediaPlaylist.Segment> s = enc.playlist().segments();
    assertEquals(keyId(s.get(0).key()), keyId(s.get(1).key()));
    assertNotEquals(keyId(s.get(1).key()), keyId(s.get(2).key()));
    assertEquals(enc.keyIds(), List.of(keyId(s.get(0).key()), keyId(s.get(2).key())));
    assertFalse(Arrays.equals(store.get(enc.keyIds().get(0)).orElseThrow().copyKeyBytes(),
        store.get(enc.keyIds().get(1)).orElseThrow().copyKeyBytes()));
    assertEquals(4, enc.playlist().render().split("#EXT-X-KEY", -1).length - 1, "one key tag per segment (explicit IVs)");
    assertDecryptsToClear(enc, clr, store);
  }

  @Test
  void bFramesAreCutAtKeyframes() throws Exception {
    FileContentKeyStore store = store();
    PackagedStream enc = encrypted(bframes, work.resolve("enc"), store, 0);
    PackagedStream clr = clear(bframes, work.resolve("clear"));
    assertEquals(3, clr.playlist().segments().size(), clr.playlist().render());
    assertEquals(Media.duration(bframes.toString()), clr.playlist().duration(), 0.1);
    for (MediaPlaylist.Segment s : clr.playlist().segments()) {
      String f = clr.playlistFile().resolveSibling(s.uri()).toString();
      String first = Media.ffprobe("-select_streams", "v:0", "-show_frames", "-read_intervals", "%+#1",
          "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", f).trim();
      assertTrue(first.startsWith("1,I"), s.uri() + " starts with " + first);
    }
    assertDecryptsToClear(enc, clr, store);
    // open-GOP B-frames at a segment start reference the previous segment, so decode the segments in sequence
    java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
    for (MediaPlaylist.Segment s : clr.playlist().segments()) {
      all.write(Files.readAllBytes(clr.playlistFile().resolveSibling(s.uri())));
    }
    Path joined = Files.write(work.resolve("joined.ts"), all.toByteArray());
    assertEquals(Media.videoFrames(bframes.toString()), Media.videoFrames(joined.toString()));
  }

  @Test
  void h264WithBFramesIsCutAtIdrFramesAndDecryptsExactly() throws Exception {
    // the input really has B-frames, so PTS order differs from decode order
    String types = Media.ffprobe("-select_streams", "v:0", "-show_frames", "-show_entries", "frame=pict_type",
        "-of", "csv=p=0", h264Bframes.toString());
    assertTrue(types.lines().filter(l -> l.trim().equals("B")).count() > 50, "B-frames in the input");
    FileContentKeyStore store = store();
    PackagedStream enc = encrypted(h264Bframes, work.resolve("enc"), store, 2);
    PackagedStream clr = clear(h264Bframes, work.resolve("clear"));
    assertEquals(4, clr.playlist().segments().size(), clr.playlist().render());
    for (MediaPlaylist.Segment s : clr.playlist().segments()) {
      assertEquals(2.0, s.duration(), 0.05, clr.playlist().render());
      String f = clr.playlistFile().resolveSibling(s.uri()).toString();
      String first = Media.ffprobe("-select_streams", "v:0", "-show_frames", "-read_intervals", "%+#1",
          "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", f).trim();
      assertTrue(first.startsWith("1,I"), s.uri() + " starts with " + first);
      // closed GOPs: each segment decodes on its own, every frame of it
      assertEquals(50, Media.videoFrames(f), s.uri());
    }
    assertTrue(enc.codecs().matches("avc1\\.64[0-9A-F]{4},mp4a\\.40\\.2"), "High profile: " + enc.codecs());
    assertEquals(Media.duration(h264Bframes.toString()), clr.playlist().duration(), 0.1);
    assertEquals(2, enc.keyIds().size());
    assertDecryptsToClear(enc, clr, store);
  }

  static SecureRandom seeded(long seed) throws Exception {
    SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
    r.setSeed(seed);
    return r;
  }

  /** packageFile (threads re-read byte ranges of the file) and packageStream (threads encrypt the parser's chunks). */
  @Test
  void fileAndStreamPackagingGiveTheSameBytes() throws Exception {
    for (Path in : List.of(av, h264Bframes, audio)) {
      for (int threads : List.of(1, 2, 3)) {
        String name = in.getFileName() + "-" + threads;
        HlsPackager.Builder b = HlsPackager.builder().keyUriTemplate("/k/{keyId}").keyRotationEvery(2).encryptionThreads(threads)
            .targetSegmentDuration(Duration.ofSeconds(2)).bufferSize(1 << 20);
        PackagedStream f = b.keyStore(new FileContentKeyStore(work.resolve("kf-" + name), MasterKey.generate(new SecureRandom())))
            .secureRandom(seeded(7)).build().packageFile(in, work.resolve("file-" + name));
        PackagedStream st;
        try (java.io.InputStream is = Files.newInputStream(in)) {
          st = b.keyStore(new FileContentKeyStore(work.resolve("ks-" + name), MasterKey.generate(new SecureRandom())))
              .secureRandom(seeded(7)).build().packageStream(is, work.resolve("stream-" + name));
        }
        assertEquals(st.playlist(), f.playlist());
        assertTrue(f.playlist().segments().size() >= 3, name);
        for (MediaPlaylist.Segment s : f.playlist().segments()) {
          assertArrayEquals(Files.readAllBytes(st.playlistFile().resolveSibling(s.uri())),
              Files.readAllBytes(f.playlistFile().resolveSibling(s.uri())), name + " " + s.uri());
        }
      }
    }
  }

  @Test
  void keysAreNeverWrittenNextToTheSegments() throws Exception {
    FileContentKeyStore inside = new FileContentKeyStore(work.resolve("pub/keys"), MasterKey.generate(new SecureRandom()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encrypted(av, work.resolve("pub"), inside, 0));
    assertTrue(e.getMessage().contains("never written next to the segments"), e.getMessage());
    FileContentKeyStore same = new FileContentKeyStore(work.resolve("same"), MasterKey.generate(new SecureRandom()));
    assertThrows(IllegalArgumentException.class, () -> encrypted(av, work.resolve("same"), same, 0));
    assertThrows(IllegalArgumentException.class, () -> encrypted(av, work.resolve("same/x/.."), same, 0));
    try (Stream<Path> files = Files.list(work.resolve("same"))) {
      assertEquals(0, files.count(), "nothing was written");
    }
  }

  @Test
  void aLongGopGivesOneLongSegment() throws Exception {
    PackagedStream clr = clear(longGop, work.resolve("clear"));
    assertEquals(1, clr.playlist().segments().size());
    assertEquals(6.0, clr.playlist().segments().get(0).duration(), 0.1);
    assertEquals(6, clr.playlist().targetDuration());
  }

  @Test
  void audioOnlyAndVideoOnly() throws Exception {
    FileContentKeyStore store = store();
    PackagedStream a = encrypted(audio, work.resolve("a"), store, 0);
    assertTrue(a.hasAudio() && !a.hasVideo());
    assertEquals("mp4a.40.2", a.codecs());
    // 7 s of sine; the last PES's length is estimated from the PES spacing, so allow one PES (about 0.3 s)
    assertEquals(7.0, a.playlist().duration(), 0.35);
    assertTrue(a.playlist().segments().size() >= 3, a.playlist().render());
    assertDecryptsToClear(a, clear(audio, work.resolve("ac")), store);
    PackagedStream v = encrypted(video, work.resolve("v"), store, 0);
    assertTrue(v.hasVideo() && !v.hasAudio());
    assertTrue(v.codecs().matches("avc1\\.[0-9A-F]{6}"), v.codecs());
    assertDecryptsToClear(v, clear(video, work.resolve("vc")), store);
  }

  @Test
  void badInputIsRefusedAndLeavesNothingBehind() throws Exception {
    byte[] good = Files.readAllBytes(av);
    FileContentKeyStore store = store();
    Path garbage = work.resolve("garbage.bin");
    byte[] g = new byte[100_000];
    new SecureRandom().nextBytes(g);
    Files.write(garbage, g);
    assertReason(HlsException.Reason.NOT_TRANSPORT_STREAM, garbage, store);
    Path text = Files.writeString(work.resolve("notes.txt"), "this is not a video\n".repeat(100));
    assertReason(HlsException.Reason.NOT_TRANSPORT_STREAM, text, store);
    assertReason(HlsException.Reason.NOT_TRANSPORT_STREAM, Files.write(work.resolve("empty.ts"), new byte[0]), store);
    Path truncated = Files.write(work.resolve("trunc.ts"), Arrays.copyOf(good, good.length - 100));
    assertReason(HlsException.Reason.TRUNCATED, truncated, store);
    byte[] sync = good.clone();
    sync[188 * 2000] = 0x48;
    assertReason(HlsException.Reason.SYNC_LOST, Files.write(work.resolve("sync.ts"), sync), store);
    // drop every PMT packet (PID 0x1000 in ffmpeg's output)
    java.io.ByteArrayOutputStream noPmt = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < good.length; i += 188) {
      int pid = ((good[i + 1] & 0x1F) << 8) | (good[i + 2] & 0xFF);
      if (pid != 0x1000) {
        noPmt.write(good, i, 188);
      }
    }
    assertReason(HlsException.Reason.MISSING_PMT, Files.write(work.resolve("nopmt.ts"), noPmt.toByteArray()), store);
    try (Stream<Path> keys = Files.list(work.resolve("keys"))) {
      assertEquals(0, keys.count(), "no key is stored for a failed packaging");
    }
  }

  void assertReason(HlsException.Reason reason, Path in, FileContentKeyStore store) throws IOException {
    Path out = work.resolve("out-" + in.getFileName());
    HlsException e = assertThrows(HlsException.class, () -> encrypted(in, out, store, 0));
    assertEquals(reason, e.reason(), e.getMessage());
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(0, files.count(), "partial output is deleted");
    }
  }
}
