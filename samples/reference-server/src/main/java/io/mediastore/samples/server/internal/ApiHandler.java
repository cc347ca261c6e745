package io.mediastore.samples.server.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mediastore.passwords.HasherBusyException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Runs before every API handler: default-deny routing, CORS, session, password-change gate, CSRF, error mapping. */
final class ApiHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);
    private static final int REFUSED_BODY_DRAIN = 1 << 20;
    private static final Set<String> STATE_CHANGING = Set.of("POST", "PUT", "PATCH", "DELETE");

    private final Router router;
    private final Sessions sessions;
    private final Supplier<List<String>> allowedOrigins;
    private final Supplier<URI> apiOrigin;

    ApiHandler(Router router, Sessions sessions, Supplier<List<String>> allowedOrigins, Supplier<URI> apiOrigin) {
        this.router = router;
        this.sessions = sessions;
        this.allowedOrigins = allowedOrigins;
        this.apiOrigin = apiOrigin;
    }

    boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        Set<String> methods = router.methodsFor(path);
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        boolean corsOk = origin != null && allowedOrigins.get().contains(origin);
        if (methods.isEmpty()) {
            refuse(request, response, callback, ApiException.notFound());
            return true;
        }
        if (method.equals("OPTIONS")) {
            if (corsOk) {
                cors(response, origin);
                response.getHeaders().put("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE");
                response.getHeaders().put("Access-Control-Allow-Headers", "Content-Type, X-CSRF-Token");
                response.getHeaders().put("Access-Control-Max-Age", "600");
            }
            response.setStatus(204);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
            callback.succeeded();
            return true;
        }
        Router.Match m = router.match(method, path);
        if (m == null) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", methods));
            refuse(request, response, callback, new ApiException(405, "method_not_allowed", "method not allowed here"));
            return true;
        }
        if (corsOk && m.route().cors()) {
            cors(response, origin);
        }
        Exchange ex = new Exchange(request, response, m.params());
        try {
            String cookie = ex.cookie(Sessions.COOKIE);
            if (cookie != null && m.route().access() != Router.Access.PUBLIC) {
                sessions.find(cookie).ifPresent(ex::session);
            }
            switch (m.route().access()) {
                case PUBLIC -> { }
                case SESSION_ANY -> ex.requireSession();
                case SESSION -> {
                    if (ex.requireSession().user().mustChangePassword()) {
                        throw new ApiException(403, "password_change_required", "change your one-time password first");
                    }
                }
            }
            if (STATE_CHANGING.contains(method)) {
                // a cross-site page can neither read the CSRF token nor set this header; the Origin check backs it up
                boolean sameOrigin = origin != null && origin.equals(originOf(apiOrigin.get()));
                if (origin != null && !corsOk && !sameOrigin) {
                    throw new ApiException(403, "csrf", "cross-site request refused");
                }
                if (m.route().csrf()) {
                    if (origin == null || !Sessions.csrfMatches(ex.requireSession(), request.getHeaders().get("X-CSRF-Token"))) {
                        throw new ApiException(403, "csrf", "missing or wrong CSRF token");
                    }
                }
            }
            m.route().handler().handle(ex);
            if (!ex.committed()) {
                ex.sendEmpty(204);
            }
            callback.succeeded();
        } catch (ApiException e) {
            if (ex.committed()) {
                callback.failed(e);
            } else {
                refuse(request, response, callback, e);
            }
        } catch (HasherBusyException e) {
            writeOrFail(ex, response, callback, new ApiException(503, "busy", "the server is busy; try again"));
        } catch (Db.DbException e) {
            LOG.warn("database failure on {} {}", method, path, e);
            writeOrFail(ex, response, callback, new ApiException(503, "unavailable", "the database is unavailable"));
        } catch (Throwable e) {
            if (clientWentAway(e)) {
                // a player cancelling a segment load, a closed tab: nothing to answer, nothing wrong on our side
                LOG.debug("client closed {} {}", method, path);
                callback.failed(e);
                return true;
            }
            LOG.error("internal error on {} {}", method, path, e);
            writeOrFail(ex, response, callback, new ApiException(500, "internal", "internal error"));
        }
        return true;
    }

    private static boolean clientWentAway(Throwable e) {
        Throwable t = e instanceof java.io.UncheckedIOException ? e.getCause() : e;
        return t instanceof java.io.EOFException || t instanceof java.nio.channels.ClosedChannelException;
    }

    private static void writeOrFail(Exchange ex, Response response, Callback callback, ApiException e) {
        if (ex.committed()) {
            callback.failed(e);
        } else {
            refuse(ex.request(), response, callback, e);
        }
    }

    /**
     * Answers with an error after reading what is left of the request body (see {@link #drainBody}). A refusal
     * (CSRF, ACL, validation) often comes before the body is read; answering while the client is still sending
     * makes Jetty close the connection, and the client then sees a broken pipe instead of the error. A larger body
     * is cut off: the connection closes, as before.
     */
    private static void refuse(Request request, Response response, Callback callback, ApiException e) {
        drainBody(request);
        writeError(response, callback, e);
    }

    /**
     * Reads what is left of the request body, up to {@value #REFUSED_BODY_DRAIN} bytes, before an answer: a
     * response sent while the client is still sending makes Jetty close the connection after it, and a client
     * that reuses the connection then sees it closed instead of an answer to its next request.
     */
    static void drainBody(Request request) {
        InputStream rest = Content.Source.asInputStream(request); // not closed: the body belongs to the server
        byte[] sink = new byte[8192];
        try {
            long left = REFUSED_BODY_DRAIN;
            int n;
            while (left > 0 && (n = rest.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException ignored) {
            // the client went away or the body is broken: the answer is still worth sending
        }
    }

    static String originOf(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    private static void cors(Response response, String origin) {
        response.getHeaders().put("Access-Control-Allow-Origin", origin);
        response.getHeaders().put("Access-Control-Allow-Credentials", "true");
        response.getHeaders().put("Access-Control-Expose-Headers", "Content-Disposition, Retry-After");
        response.getHeaders().add("Vary", "Origin");
    }

    static void writeError(Response response, Callback callback, ApiException e) {
        ObjectNode err = Json.object();
        ObjectNode inner = err.putObject("error");
        inner.put("code", e.code());
        inner.put("message", e.getMessage());
        for (Map.Entry<String, Object> x : e.extra().entrySet()) {
            inner.set(x.getKey(), Json.MAPPER.valueToTree(x.getValue()));
        }
        byte[] b = Json.bytes(err);
        response.setStatus(e.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(b), callback);
    }
}
