package io.mediastore.samples.server.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The web origin: exact files of {@code META-INF/mediastore-web/} on the classpath (the web app jar), {@code /}
 * as {@code index.html}, and a generated {@code /config.json} naming the API base. Nothing else: 404.
 */
public final class WebContent implements HttpFront.WebContent {
    static final String ROOT = "META-INF/mediastore-web/";
    private static final Pattern SAFE = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}){1,8}");
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"), Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("map", "application/json; charset=utf-8"), Map.entry("woff2", "font/woff2"));

    private final Supplier<URI> apiBase;
    private final ClassLoader loader;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public WebContent(Supplier<URI> apiBase) {
        this.apiBase = apiBase;
        this.loader = WebContent.class.getClassLoader();
    }

    public static String csp(String apiOrigin) {
        // media-src names the API: where hls.js cannot run (iOS before 17.1), the video element loads HLS from it itself
        return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self' blob: " + apiOrigin + "; "
                + "worker-src 'self' blob:; connect-src 'self' " + apiOrigin + "; frame-ancestors 'none'; base-uri 'none'; "
                + "form-action 'self'; object-src 'none'";
    }

    @Override
    public void handle(Request request, Response response, Callback callback) throws IOException {
        URI api = apiBase.get();
        response.getHeaders().put("Content-Security-Policy", csp(ApiHandler.originOf(api)));
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ApiHandler.writeError(response, callback, new ApiException(405, "method_not_allowed", "method not allowed here"));
            return;
        }
        if (path.equals("/config.json")) {
            byte[] b = Json.bytes(Map.of("apiBase", api + "/api/v1"));
            send(response, callback, "application/json; charset=utf-8", b, method, "no-store");
            return;
        }
        if (path.equals("/")) {
            path = "/index.html";
        }
        byte[] body = SAFE.matcher(path).matches() ? load(path.substring(1)) : null;
        if (body == null) {
            ApiHandler.writeError(response, callback, ApiException.notFound());
            return;
        }
        String ext = path.substring(path.lastIndexOf('.') + 1);
        send(response, callback, TYPES.getOrDefault(ext, "application/octet-stream"), body, method,
                path.endsWith(".html") ? "no-cache" : "public, max-age=300");
    }

    private byte[] load(String rel) throws IOException {
        byte[] cached = cache.get(rel);
        if (cached != null) {
            return cached;
        }
        if (!rel.contains(".") || rel.endsWith("/")) {
            return null;
        }
        URL url = loader.getResource(ROOT + rel);
        if (url == null) {
            return null;
        }
        try (InputStream in = url.openStream()) {
            byte[] b = in.readAllBytes();
            cache.put(rel, b);
            return b;
        } catch (IOException e) {
            return null; // a directory entry or unreadable: not a file of the app
        }
    }

    private static void send(Response response, Callback callback, String type, byte[] body, String method, String cache) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cache);
        response.write(true, method.equals("HEAD") ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

}
