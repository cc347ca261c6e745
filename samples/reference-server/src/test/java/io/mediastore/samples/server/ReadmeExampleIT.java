package io.mediastore.samples.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's embedding example, run. */
class ReadmeExampleIT {
    @TempDir
    Path dir;

    @Test
    void embeddingExample() throws Exception {
        try (ReferenceServer server = ReferenceServer.start(ServerConfig.builder()
                .dataDir(dir).apiPort(0).webPort(0).tokenTtlForPlayback(Duration.ofSeconds(30)).build())) {
            URI api = server.apiUri();                                   // https://localhost:<port>
            String otp = new String(server.initialAdminPassword().orElseThrow());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(server.trustStore());                               // trust exactly the generated certificate

            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(api.resolve("/api/v1/auth/login"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + otp + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("\"mustChangePassword\":true"));
            assertTrue(api.toString().startsWith("https://localhost:"));
        }
    }
}
