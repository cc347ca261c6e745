package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path with real clients: publish a clip as encrypted HLS in three ladder rungs, serve it on
 * 127.0.0.1 with per-view personalized playlists and token-guarded key delivery, and play it with ffprobe/ffmpeg.
 */
class HttpPlaybackIT {
  @TempDir static Path dir;
  static HttpServer server;
  static String base;
  static FileContentKeyStore store;
  static PublishedVod vod;
  static final Set<String> validTokens = ConcurrentHashMap.newKeySet();
  static final AtomicInteger keyRequests = new AtomicInteger();
  static final List<Double> progress = new ArrayList<>();
  static final AtomicInteger minted = new AtomicInteger();

  @BeforeAll
  static void publishAndServe() throws Exception {
    Path src = Media.mp4(dir.resolve("src.mp4"), 4, "640x360");
    store = new FileContentKeyStore(dir.resolve("keys"), MasterKey.generate(new SecureRandom()));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    base = "http://127.0.0.1:" + server.getAddress().getPort();
    HlsPackager packager = HlsPackager.builder().keyStore(store).keyUriTemplate(base + "/keys/{keyId}")
        .targetSegmentDuration(Duration.ofSeconds(2)).keyRotationEvery(1).build();
    RenditionLadder ladder = new RenditionLadder(List.of(new Rendition("1080p", 1080, 3_000_000, 128_000),
        new Rendition("360p", 360, 600_000, 96_000), new Rendition("240p", 240, 300_000, 64_000)));
    Path out = dir.resolve("public");
    vod = VodPublisher.create(packager, ladder).publish(src, out, (f, s) -> {
      synchronized (progress) {
        progress.add(f);
      }
    });
    KeyDelivery keys = KeyDelivery.builder().keyStore(store).allowOrigin("https://player.example")
        .authorizer(r -> {
          keyRequests.incrementAndGet();
          if (r.token() == null) {
            return KeyAuthorizer.Decision.UNAUTHENTICATED;
          }
          return validTokens.contains(r.token()) ? KeyAuthorizer.Decision.ALLOW : KeyAuthorizer.Decision.FORBIDDEN;
        }).build();
    server.createContext("/keys/", keys.httpHandler("/keys/", "token"));
    server.createContext("/vod/", ex -> {
      try (ex) {
        Path f = out.resolve(ex.getRequestURI().getPath().substring(5)).normalize();
        if (!f.startsWith(out) || !Files.isRegularFile(f)) {
          ex.sendResponseHeaders(404, -1);
          return;
        }
        byte[] body;
        String q = ex.getRequestURI().getQuery();
        if (f.toString().endsWith("index.m3u8")) {
          // one view: a fresh token for this viewer on every key URI
          String view = q != null && q.startsWith("view=") ? q.substring(5) : "none";
          MediaPlaylist pl = PlaylistPersonalizer.keysOnly().personalize(MediaPlaylist.parse(Files.readString(f)), uri -> {
            minted.incrementAndGet();
            return view;
          });
          body = pl.render().getBytes(StandardCharsets.UTF_8);
        } else if (f.toString().endsWith("master.m3u8")) {
          String view = q != null && q.startsWith("view=") ? q.substring(5) : "none";
          MasterPlaylist m = MasterPlaylist.parse(Files.readString(f));
          List<MasterPlaylist.Variant> vs = new ArrayList<>();
          for (MasterPlaylist.Variant v : m.variants()) {
            vs.add(new MasterPlaylist.Variant(v.bandwidth(), v.averageBandwidth(), v.resolution(), v.codecs(), v.uri() + "?view=" + view));
          }
          body = new MasterPlaylist(m.version(), vs).render().getBytes(StandardCharsets.UTF_8);
        } else {
          body = Files.readAllBytes(f);
        }
        ex.sendResponseHeaders(200, body.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      }
    });
    server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void masterPlaylistNeverUpscalesAndIsMeasured() {
    List<MasterPlaylist.Variant> v = vod.master().variants();
    assertEquals(2, v.size(), vod.master().render());
    assertEquals("640x360", v.get(0).resolution());
    assertEquals("426x240", v.get(1).resolution());
    for (MasterPlaylist.Variant x : v) {
      assertTrue(x.codecs().matches("avc1\\.[0-9A-F]{6},mp4a\\.40\\.2"), x.codecs());
      assertTrue(x.bandwidth() >= x.averageBandwidth());
    }
    assertTrue(v.get(0).averageBandwidth() > v.get(1).averageBandwidth());
    // keyframes aligned: every rendition has the same segment boundaries
    List<Double> d0 = vod.renditions().get(0).playlist().segments().stream().map(MediaPlaylist.Segment::duration).toList();
    List<Double> d1 = vod.renditions().get(1).playlist().segments().stream().map(MediaPlaylist.Segment::duration).toList();
    assertEquals(d0, d1);
    assertEquals(2, d0.size());
    assertEquals(1.0, progress.get(progress.size() - 1));
    for (int i = 1; i < progress.size(); i++) {
      assertTrue(progress.get(i) >= progress.get(i - 1), "progress is monotonic");
    }
  }

  @Test
  void masterAttributesAreMeasuredFromTheOutput() throws Exception {
    validTokens.add("view-measure");
    List<MasterPlaylist.Variant> variants = MasterPlaylist.parse(Files.readString(vod.masterFile())).variants();
    assertEquals(vod.master().variants(), variants);
    for (int r = 0; r < variants.size(); r++) {
      MasterPlaylist.Variant v = variants.get(r);
      PackagedStream ps = vod.renditions().get(r);
      long bytes = 0;
      double seconds = 0;
      long peak = 0;
      for (MediaPlaylist.Segment s : ps.playlist().segments()) {
        long size = Files.size(ps.playlistFile().resolveSibling(s.uri()));
        bytes += size;
        seconds += s.duration();
        // RFC 8216 4.3.4.2: peak over segments of 0.5 to 1.5 target durations (here every segment is one target long)
        if (s.duration() >= ps.playlist().targetDuration() / 2.0 || ps.playlist().segments().size() == 1) {
          peak = Math.max(peak, (long) Math.ceil(size * 8 / s.duration()));
        }
      }
      // AVERAGE-BANDWIDTH and BANDWIDTH: the encrypted bytes actually published over their EXTINF durations
      assertEquals((long) Math.ceil(bytes * 8 / seconds), v.averageBandwidth());
      assertEquals(peak, v.bandwidth());
      // RESOLUTION and CODECS: what a player finds in the stream (read back over HTTP, decrypted by ffprobe;
      // the HLS demuxer lists each stream once per program, so the first line is the one)
      String url = base + "/vod/" + v.uri() + "?view=view-measure";
      String wh = Media.ffprobe("-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0:s=x", url).trim().lines().findFirst().orElse("");
      assertEquals(wh, v.resolution());
      String profile = Media.ffprobe("-select_streams", "v:0", "-show_entries", "stream=profile,level", "-of", "csv=p=0", url).trim().lines().findFirst().orElse("");
      String[] pl = profile.split(",");
      int level = Integer.parseInt(pl[1]);
      String avc = v.codecs().substring(0, v.codecs().indexOf(','));
      assertEquals(String.format("%02X", level), avc.substring(9, 11), profile + " vs " + avc);
      assertEquals(pl[0].contains("Baseline") ? "42" : pl[0].equals("Main") ? "4D" : "64", avc.substring(5, 7), profile + " vs " + avc);
      String audio = Media.ffprobe("-select_streams", "a:0", "-show_entries", "stream=codec_name,profile", "-of", "csv=p=0", url).trim().lines().findFirst().orElse("");
      assertEquals("aac,LC", audio);
      assertTrue(v.codecs().endsWith(",mp4a.40.2"));
    }
  }

  @Test
  void ffprobeAndFfmpegPlayTheEncryptedMasterOverHttp() throws Exception {
    validTokens.add("view-ok");
    int before = keyRequests.get();
    String url = base + "/vod/master.m3u8?view=view-ok";
    assertEquals(4.0, Media.duration(url), 0.15);
    assertEquals(100, Media.videoFrames(url));
    String media = base + "/vod/240p/index.m3u8?view=view-ok";
    assertEquals(100, Media.videoFrames(media));
    assertTrue(keyRequests.get() > before, "the players fetched keys");
    // a refused token: the player cannot decrypt anything
    assertThrows(IOException.class, () -> Media.ffmpeg("-i", base + "/vod/240p/index.m3u8?view=stolen", "-f", "null", "-"));
  }

  @Test
  void everySegmentDecryptsWithThePlaylistKeyAndIv() throws Exception {
    for (PackagedStream ps : vod.renditions()) {
      assertEquals(ps.playlist().segments().size(), ps.keyIds().size(), "rotation every segment");
      for (int i = 0; i < ps.playlist().segments().size(); i++) {
        MediaPlaylist.Segment s = ps.playlist().segments().get(i);
        String id = s.key().uri().substring(s.key().uri().lastIndexOf('/') + 1);
        Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(store.get(id).orElseThrow().copyKeyBytes(), "AES"),
            new IvParameterSpec(s.key().ivFor(i)));
        byte[] pt = c.doFinal(Files.readAllBytes(ps.playlistFile().resolveSibling(s.uri())));
        HlsPackagerIT.assertTs(pt);
      }
    }
  }

  @Test
  void keyResponsesAreExactAndRefusalsEmpty() throws Exception {
    validTokens.add("view-keys");
    HttpClient http = HttpClient.newHttpClient();
    String id = vod.renditions().get(0).keyIds().get(0);
    HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(URI.create(base + "/keys/" + id + "?token=view-keys"))
        .header("Origin", "https://player.example").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, ok.statusCode());
    assertEquals(16, ok.body().length);
    assertArrayEquals(store.get(id).orElseThrow().copyKeyBytes(), ok.body());
    assertEquals("application/octet-stream", ok.headers().firstValue("Content-Type").orElse(null));
    assertEquals("no-store", ok.headers().firstValue("Cache-Control").orElse(null));
    assertEquals("https://player.example", ok.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    HttpResponse<byte[]> bearer = http.send(HttpRequest.newBuilder(URI.create(base + "/keys/" + id))
        .header("Authorization", "Bearer view-keys").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, bearer.statusCode());
    assertNull(bearer.headers().firstValue("Access-Control-Allow-Origin").orElse(null), "no CORS for a same-origin request");
    HttpResponse<byte[]> none = http.send(HttpRequest.newBuilder(URI.create(base + "/keys/" + id)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(401, none.statusCode());
    assertEquals(0, none.body().length);
    HttpResponse<byte[]> bad = http.send(HttpRequest.newBuilder(URI.create(base + "/keys/" + id + "?token=forged"))
        .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(403, bad.statusCode());
    assertEquals(0, bad.body().length);
    assertFalse(bad.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    HttpResponse<byte[]> unknown = http.send(HttpRequest.newBuilder(URI.create(base + "/keys/00ff?token=view-keys")).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(404, unknown.statusCode());
    assertEquals(0, unknown.body().length);
    HttpResponse<byte[]> pre = http.send(HttpRequest.newBuilder(URI.create(base + "/keys/" + id))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "https://player.example").build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(204, pre.statusCode());
    assertTrue(pre.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("GET"));
    HttpResponse<byte[]> post = http.send(HttpRequest.newBuilder(URI.create(base + "/keys/" + id + "?token=view-keys"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(405, post.statusCode());
    assertEquals(0, post.body().length);
  }
}
