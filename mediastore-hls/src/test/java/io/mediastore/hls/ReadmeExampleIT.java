package io.mediastore.hls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.mediastore.hls.KeyAuthorizer.Decision;
import io.mediastore.hls.spi.ContentKeyStore;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README example, compiled and run. */
class ReadmeExampleIT {
  @TempDir Path tmp;

  boolean verify(String token, String keyId) {
    return "view-123".equals(token);
  }

  @Test
  void packageAFileAndServeAKey() throws Exception {
    Path upload = Media.mp4(tmp.resolve("upload.mp4"), 3, "640x360");
    byte[] masterKeyBytes = new byte[32];
    new SecureRandom().nextBytes(masterKeyBytes);
    Path keyDir = tmp.resolve("keys");
    Path publicDir = tmp.resolve("hls/asset-42");

    // --- README ---
    ContentKeyStore keys = new FileContentKeyStore(keyDir, MasterKey.of(masterKeyBytes)); // master key from your KMS
    HlsPackager packager = HlsPackager.builder()
        .keyStore(keys)
        .keyUriTemplate("https://media.example.com/keys/{keyId}")
        .keyRotationEvery(10)
        .build();
    PublishedVod vod = VodPublisher.create(packager, RenditionLadder.standard())
        .publish(upload, publicDir, (fraction, seconds) -> System.out.printf("%.0f%%%n", fraction * 100));

    KeyDelivery delivery = KeyDelivery.builder()
        .keyStore(keys)
        .allowOrigin("https://www.example.com")
        .authorizer(req -> verify(req.token(), req.keyId()) ? Decision.ALLOW : Decision.FORBIDDEN)
        .build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/keys/", delivery.httpHandler("/keys/", "token"));
    server.start();
    // per view: rewrite key URIs with a token minted for this viewer
    MediaPlaylist forViewer = PlaylistPersonalizer.keysOnly()
        .personalize(vod.renditions().get(0).playlist(), uri -> "view-123");
    // --- end ---

    try {
      // a 360p upload gets only the 240p rung of the standard ladder: never upscaled
      assertEquals(1, vod.master().variants().size());
      assertEquals(true, Files.readString(vod.masterFile()).contains("RESOLUTION=426x240"));
      assertEquals(true, forViewer.segments().get(0).key().uri().endsWith("?token=view-123"));
      String id = vod.renditions().get(0).keyIds().get(0);
      HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/keys/" + id + "?token=view-123")).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, r.statusCode());
      assertEquals(16, r.body().length);
    } finally {
      server.stop(0);
    }
  }
}
