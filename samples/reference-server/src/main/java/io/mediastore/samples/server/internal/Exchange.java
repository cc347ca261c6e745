package io.mediastore.samples.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

/** One HTTP request and its response, for blocking handlers. */
public final class Exchange {
    private static final int MAX_JSON_BODY = 256 * 1024;

    private final Request request;
    private final Response response;
    private final Map<String, String> pathParams;
    private Fields query;
    private Session session;
    private boolean committed;

    Exchange(Request request, Response response, Map<String, String> pathParams) {
        this.request = request;
        this.response = response;
        this.pathParams = pathParams;
    }

    public String method() {
        return request.getMethod();
    }

    public String path() {
        return request.getHttpURI().getPath();
    }

    public String pathParam(String name) {
        return pathParams.get(name);
    }

    public String query(String name) {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                throw ApiException.validation("query", "malformed query string");
            }
        }
        List<String> v = query.getValues(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.size() > 1) {
            throw ApiException.validation(name, "parameter " + name + " given more than once");
        }
        return v.get(0);
    }

    public String header(String name) {
        return request.getHeaders().get(name);
    }

    public String origin() {
        return request.getHeaders().get(HttpHeader.ORIGIN);
    }

    public String cookie(String name) {
        List<HttpCookie> cookies = Request.getCookies(request);
        String found = null;
        for (HttpCookie c : cookies) {
            if (c.getName().equals(name)) {
                if (found != null) {
                    return null; // ambiguous: refuse rather than pick one
                }
                found = c.getValue();
            }
        }
        return found;
    }

    public InetAddress clientAddress() {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i.getAddress() : InetAddress.getLoopbackAddress();
    }

    public long contentLength() {
        return request.getLength();
    }

    public String contentType() {
        return request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    }

    public InputStream body() {
        return Content.Source.asInputStream(request);
    }

    /** The JSON object body, at most 256 KiB; an empty body is {@code {}}. */
    public JsonNode json() {
        String ct = contentType();
        long len = request.getLength();
        if (len > MAX_JSON_BODY) {
            throw new ApiException(413, "too_large", "the body is too large");
        }
        byte[] data;
        try (InputStream in = body()) {
            data = in.readNBytes(MAX_JSON_BODY + 1);
        } catch (IOException e) {
            throw new ApiException(400, "validation", "cannot read the body", Map.of("field", "body"));
        }
        if (data.length > MAX_JSON_BODY) {
            throw new ApiException(413, "too_large", "the body is too large");
        }
        if (data.length == 0) {
            return Json.object();
        }
        if (ct == null || !ct.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "unsupported_media_type", "send application/json");
        }
        return Json.parse(data);
    }

    public Session session() {
        return session;
    }

    void session(Session s) {
        this.session = s;
    }

    /** The signed-in session, or 401. */
    public Session requireSession() {
        if (session == null) {
            throw ApiException.unauthenticated();
        }
        return session;
    }

    public void header(String name, String value) {
        response.getHeaders().put(name, value);
    }

    public void addHeader(String name, String value) {
        response.getHeaders().add(name, value);
    }

    public void status(int status) {
        response.setStatus(status);
    }

    public void sendJson(int status, Object value) {
        byte[] b = Json.bytes(value);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        if (!response.getHeaders().contains(HttpHeader.CACHE_CONTROL)) {
            // per-user data, CSRF tokens among it: no cache may keep it
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        writeAll(b);
    }

    public void sendEmpty(int status) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
        writeAll(new byte[0]);
    }

    public void sendBytes(int status, String contentType, byte[] b) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        writeAll(b);
    }

    /** Streams {@code in} as the body; the status and headers must be set before. */
    public void sendStream(int status, String contentType, long length, InputStream in) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        if (length >= 0) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, length);
        }
        ApiHandler.drainBody(request);
        committed = true;
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            in.transferTo(out);
        }
    }

    private void writeAll(byte[] b) {
        // a handler that did not read the body (a DELETE with "{}") must not leave it for the next request
        ApiHandler.drainBody(request);
        committed = true;
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.write(b);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    boolean committed() {
        return committed || response.isCommitted();
    }

    Response response() {
        return response;
    }

    Request request() {
        return request;
    }
}
