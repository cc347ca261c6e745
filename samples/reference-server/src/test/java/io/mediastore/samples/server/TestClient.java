package io.mediastore.samples.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A browser-like HTTPS client for the tests: trusts only the server's certificate, keeps cookies, sends Origin and CSRF. */
final class TestClient {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http;
    final URI api;
    final String origin;
    String csrf;

    TestClient(ReferenceServer server) {
        this(server.trustStore(), server.apiUri(), server.webUri().toString());
    }

    TestClient(KeyStore trust, URI api, String origin) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            this.http = HttpClient.newBuilder().sslContext(ssl).cookieHandler(new CookieManager())
                    .connectTimeout(Duration.ofSeconds(10)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        this.api = api;
        this.origin = origin;
    }

    record Res(int status, java.net.http.HttpHeaders headers, byte[] body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String code() {
            return json().path("error").path("code").asText();
        }
    }

    HttpRequest.Builder req(String path) {
        URI u = path.startsWith("https://") ? URI.create(path) : api.resolve(path);
        HttpRequest.Builder b = HttpRequest.newBuilder(u).timeout(Duration.ofSeconds(60));
        if (origin != null) {
            b.header("Origin", origin);
        }
        if (csrf != null) {
            b.header("X-CSRF-Token", csrf);
        }
        return b;
    }

    Res send(HttpRequest r) {
        try {
            HttpResponse<byte[]> resp = http.send(r, HttpResponse.BodyHandlers.ofByteArray());
            return new Res(resp.statusCode(), resp.headers(), resp.body());
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("request failed: " + r.uri(), e);
        }
    }

    Res get(String path) {
        return send(req(path).GET().build());
    }

    Res json(String method, String path, Object body) {
        try {
            byte[] b = JSON.writeValueAsBytes(body);
            return send(req(path).header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(b)).build());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    Res post(String path, Object body) {
        return json("POST", path, body);
    }

    Res login(String user, String password) {
        Res r = post("/api/v1/auth/login", java.util.Map.of("username", user, "password", password));
        if (r.status() == 200) {
            csrf = r.json().get("csrfToken").asText();
        }
        return r;
    }

    /** A multipart upload: text fields, then the file part. */
    Res upload(String title, String description, String collectionId, String fileName, String contentType, byte[] content) {
        String boundary = "----msboundary" + System.nanoTime();
        List<byte[]> parts = new ArrayList<>();
        StringBuilder head = new StringBuilder();
        if (title != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n").append(title).append("\r\n");
        }
        if (description != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n").append(description).append("\r\n");
        }
        if (collectionId != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"collectionId\"\r\n\r\n").append(collectionId).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"").append(fileName)
                .append("\"\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
        parts.add(head.toString().getBytes(StandardCharsets.UTF_8));
        parts.add(content);
        parts.add(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(req("/api/v1/assets").header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(parts)).build());
    }
}
