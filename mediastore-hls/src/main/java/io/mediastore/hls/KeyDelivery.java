package io.mediastore.hls;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.mediastore.hls.spi.ContentKeyStore;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves content keys to authorised players. Every request is authorised first (so that unauthorised
 * callers cannot probe which key ids exist), then answered with exactly the 16 key bytes as
 * {@code application/octet-stream}, {@code Cache-Control: no-store} and the CORS headers a player on
 * another origin needs. A refusal is 401 or 403 with an empty body; an unknown key is 404; a key store
 * failure (a key that does not unwrap, a database that is down) is 500 with an empty body. Thread-safe.
 */
public final class KeyDelivery {
  private static final Logger LOG = LoggerFactory.getLogger(KeyDelivery.class);
  private final ContentKeyStore store;
  private final KeyAuthorizer authorizer;
  private final Set<String> origins;
  private final boolean anyOrigin;

  private KeyDelivery(Builder b) {
    this.store = b.store;
    this.authorizer = b.authorizer;
    this.origins = Set.copyOf(b.origins);
    this.anyOrigin = b.anyOrigin;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Answers one key request. */
  public KeyResponse handle(KeyRequest request) {
    Objects.requireNonNull(request, "request");
    Map<String, String> h = baseHeaders(request.origin());
    String keyId;
    try {
      // checked first, so that no malformed id (a line break, say) reaches the authorizer or the log
      keyId = ContentKey.checkId(request.keyId());
    } catch (IllegalArgumentException badId) {
      return new KeyResponse(404, h, new byte[0]);
    }
    KeyAuthorizer.Decision d;
    try {
      d = Objects.requireNonNull(authorizer.authorize(request), "decision");
    } catch (RuntimeException e) {
      LOG.warn("key authorizer failed for key {}; refusing", keyId, e);
      d = KeyAuthorizer.Decision.FORBIDDEN;
    }
    if (d != KeyAuthorizer.Decision.ALLOW) {
      LOG.debug("key {} refused: {}", keyId, d);
      return new KeyResponse(d.httpStatus(), h, new byte[0]);
    }
    Optional<ContentKey> key;
    try {
      key = store.get(keyId);
    } catch (HlsException storeFailure) {
      // a key that does not unwrap, or a store that is down: never a 200, never a body
      LOG.error("key {} could not be read from the key store: {}", keyId, storeFailure.reason(), storeFailure);
      return new KeyResponse(500, h, new byte[0]);
    }
    if (key.isEmpty()) {
      return new KeyResponse(404, h, new byte[0]);
    }
    byte[] raw = key.get().copyKeyBytes();
    try {
      h.put("Content-Type", "application/octet-stream");
      return new KeyResponse(200, h, raw);
    } finally {
      Arrays.fill(raw, (byte) 0);
      key.get().destroy();
    }
  }

  private Map<String, String> baseHeaders(String origin) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Cache-Control", "no-store");
    h.put("Pragma", "no-cache");
    h.put("X-Content-Type-Options", "nosniff");
    if (origin != null && (anyOrigin || origins.contains(origin))) {
      h.put("Access-Control-Allow-Origin", anyOrigin ? "*" : origin);
      h.put("Access-Control-Allow-Methods", "GET, OPTIONS");
      h.put("Access-Control-Allow-Headers", "Authorization");
      h.put("Access-Control-Max-Age", "600");
      if (!anyOrigin) {
        h.put("Vary", "Origin");
      }
    }
    return h;
  }

  /**
   * An adapter for the JDK's {@code com.sun.net.httpserver}: serves {@code GET pathPrefix + keyId},
   * taking the token from the query parameter {@code tokenParameter} or an {@code Authorization: Bearer}
   * header; answers CORS preflights; refuses other methods with 405.
   */
  public HttpHandler httpHandler(String pathPrefix, String tokenParameter) {
    Objects.requireNonNull(pathPrefix, "pathPrefix");
    Objects.requireNonNull(tokenParameter, "tokenParameter");
    return exchange -> {
      try (exchange) {
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        String method = exchange.getRequestMethod();
        if (method.equals("OPTIONS")) {
          send(exchange, new KeyResponse(204, baseHeaders(origin), new byte[0]));
          return;
        }
        if (!method.equals("GET")) {
          Map<String, String> h = baseHeaders(origin);
          h.put("Allow", "GET, OPTIONS");
          send(exchange, new KeyResponse(405, h, new byte[0]));
          return;
        }
        String path = exchange.getRequestURI().getRawPath();
        if (!path.startsWith(pathPrefix)) {
          send(exchange, new KeyResponse(404, baseHeaders(origin), new byte[0]));
          return;
        }
        String keyId = URLDecoder.decode(path.substring(pathPrefix.length()), StandardCharsets.UTF_8);
        send(exchange, handle(new KeyRequest(keyId, token(exchange, tokenParameter), origin)));
      }
    };
  }

  private static String token(HttpExchange ex, String name) {
    String q = ex.getRequestURI().getRawQuery();
    if (q != null) {
      for (String part : q.split("&")) {
        int eq = part.indexOf('=');
        if (eq > 0 && part.substring(0, eq).equals(name)) {
          return URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
        }
      }
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return auth.substring(7).trim();
    }
    return null;
  }

  private static void send(HttpExchange ex, KeyResponse r) throws IOException {
    r.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    byte[] body = r.body();
    try {
      if (body.length == 0) {
        ex.sendResponseHeaders(r.status(), -1);
      } else {
        ex.sendResponseHeaders(r.status(), body.length);
        try (OutputStream os = ex.getResponseBody()) {
          os.write(body);
        }
      }
    } finally {
      Arrays.fill(body, (byte) 0);
    }
  }

  /** Configures key delivery; {@link #build()} validates. */
  public static final class Builder {
    private ContentKeyStore store;
    private KeyAuthorizer authorizer;
    private final java.util.HashSet<String> origins = new java.util.HashSet<>();
    private boolean anyOrigin;

    private Builder() {}

    public Builder keyStore(ContentKeyStore s) {
      this.store = Objects.requireNonNull(s, "s");
      return this;
    }

    /** Required: there is no default that lets every caller have the keys. */
    public Builder authorizer(KeyAuthorizer a) {
      this.authorizer = Objects.requireNonNull(a, "a");
      return this;
    }

    /** Origins (scheme://host[:port]) of pages whose players may fetch keys cross-origin. */
    public Builder allowOrigin(String origin) {
      if (!origin.matches("https?://[^/\\s]+")) {
        throw new IllegalArgumentException("an origin is scheme://host[:port]");
      }
      origins.add(origin);
      return this;
    }

    /** {@code Access-Control-Allow-Origin: *}: any page may fetch keys, still only with an accepted token. */
    public Builder allowAnyOrigin() {
      this.anyOrigin = true;
      return this;
    }

    public KeyDelivery build() {
      if (store == null || authorizer == null) {
        throw new IllegalStateException("keyStore and authorizer are required");
      }
      return new KeyDelivery(this);
    }
  }
}
