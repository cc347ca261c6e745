package io.mediastore.samples.server.internal;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The HTTPS front: one Jetty server with an API connector and a web connector (plus an optional plain-HTTP
 * connector that only redirects), each bound to the configured interface only. Every response carries the
 * security headers; undeclared paths get 404 before any handler runs; errors are JSON with a stable code.
 */
public final class HttpFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);
    public static final String HSTS = "max-age=31536000; includeSubDomains";
    public static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    private final Server server;
    private final ServerConnector api;
    private final ServerConnector web;
    private final ServerConnector redirect;

    public interface WebContent {
        void handle(Request request, Response response, Callback callback) throws Exception;
    }

    public HttpFront(String bindAddress, int apiPort, int webPort, int redirectPort, TlsMaterial tls, Duration grace,
                     Router router, Sessions sessions, Supplier<List<String>> allowedOrigins, Supplier<URI> apiOrigin,
                     Supplier<URI> webOrigin, WebContent webContent) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 4);
        threads.setName("mediastore-http");
        server = new Server(threads);
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(new String(tls.password()));
        ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        ssl.setSniRequired(false);
        HttpConfiguration hc = new HttpConfiguration();
        hc.setSendServerVersion(false);
        hc.setSendDateHeader(true);
        hc.setRequestHeaderSize(16 * 1024);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        src.setStsMaxAge(-1);
        hc.addCustomizer(src);
        api = new ServerConnector(server, ssl, new HttpConnectionFactory(hc));
        api.setName("api");
        api.setHost(bindAddress);
        api.setPort(apiPort);
        api.setIdleTimeout(60_000);
        web = new ServerConnector(server, ssl, new HttpConnectionFactory(hc));
        web.setName("web");
        web.setHost(bindAddress);
        web.setPort(webPort);
        server.addConnector(api);
        server.addConnector(web);
        if (redirectPort >= 0) {
            HttpConfiguration plain = new HttpConfiguration();
            plain.setSendServerVersion(false);
            redirect = new ServerConnector(server, new HttpConnectionFactory(plain));
            redirect.setName("redirect");
            redirect.setHost(bindAddress);
            redirect.setPort(redirectPort);
            server.addConnector(redirect);
        } else {
            redirect = null;
        }
        ApiHandler apiHandler = new ApiHandler(router, sessions, allowedOrigins, apiOrigin);
        Handler.Abstract root = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                securityHeaders(response);
                Connector c = request.getConnectionMetaData().getConnector();
                if (c == api) {
                    response.getHeaders().put("Content-Security-Policy", API_CSP);
                    return apiHandler.handle(request, response, callback);
                }
                if (c == web) {
                    webContent.handle(request, response, callback);
                    return true;
                }
                // plain HTTP: redirect GET/HEAD to the HTTPS web origin, refuse everything else
                URI origin = webOrigin.get();
                if (origin != null && (request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))) {
                    // the configured origin, never the request's Host header (an open redirect, and poison for caches)
                    String target = origin.getScheme() + "://" + origin.getRawAuthority() + request.getHttpURI().getPath();
                    response.setStatus(308);
                    response.getHeaders().put(HttpHeader.LOCATION, target);
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
                    callback.succeeded();
                    return true;
                }
                ApiHandler.writeError(response, callback, new ApiException(403, "https_required", "use HTTPS"));
                return true;
            }
        };
        GracefulHandler graceful = new GracefulHandler(root);
        server.setHandler(graceful);
        server.setStopTimeout(grace.toMillis());
        server.setStopAtShutdown(false);
        server.setErrorHandler((request, response, callback) -> {
            // errors Jetty answers before any handler runs (oversized headers, bad URIs) carry the same headers
            securityHeaders(response);
            response.getHeaders().put("Content-Security-Policy", API_CSP);
            ApiHandler.writeError(response, callback, new ApiException(response.getStatus() >= 400 ? response.getStatus() : 400,
                    "bad_request", "the request could not be processed"));
            return true;
        });
    }

    /** The headers every response of every connector carries. */
    private static void securityHeaders(Response response) {
        response.getHeaders().put("Strict-Transport-Security", HSTS);
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put("X-Frame-Options", "DENY");
        response.getHeaders().put("Cross-Origin-Opener-Policy", "same-origin");
    }

    public void start() throws Exception {
        server.start();
    }

    public int apiPort() {
        return api.getLocalPort();
    }

    public int webPort() {
        return web.getLocalPort();
    }

    public int redirectPort() {
        return redirect == null ? -1 : redirect.getLocalPort();
    }

    /** Stops accepting, lets in-flight requests and uploads finish (up to the grace period), then stops. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
        }
    }


}
