package io.mediastore.samples.server;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.zaxxer.hikari.HikariDataSource;
import io.mediastore.samples.server.internal.Acl;
import io.mediastore.samples.server.internal.Api;
import io.mediastore.samples.server.internal.DbKeySource;
import io.mediastore.samples.server.internal.HttpFront;
import io.mediastore.samples.server.internal.LoginThrottle;
import io.mediastore.samples.server.internal.Runtime;
import io.mediastore.samples.server.internal.ServerModule;
import io.mediastore.samples.server.internal.Sessions;
import io.mediastore.samples.server.internal.StorageKeys;
import io.mediastore.samples.server.internal.TlsMaterial;
import io.mediastore.samples.server.internal.Users;
import io.mediastore.samples.server.internal.VideoWorker;
import io.mediastore.samples.server.internal.WebContent;
import io.mediastore.storage.BlobStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running reference server: the HTTPS JSON API and the HTTPS web app, wired with Guice.
 *
 * <pre>{@code
 * try (ReferenceServer server = ReferenceServer.start(ServerConfig.builder().dataDir(dir).apiPort(0).webPort(0).build())) {
 *     URI api = server.apiUri();                                 // https://localhost:<port>
 *     char[] adminPassword = server.initialAdminPassword().orElseThrow();  // first start only
 *     KeyStore trust = server.trustStore();                      // trust the self-signed certificate
 * }
 * }</pre>
 */
public final class ReferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReferenceServer.class);
    /** The first administrator's user name. */
    public static final String ADMIN = "admin";

    private final ServerConfig config;
    private final Injector injector;
    private final HttpFront front;
    private final TlsMaterial tls;
    private final ScheduledExecutorService housekeeping;
    private final char[] initialAdminPassword;
    private final URI apiUri;
    private final URI webUri;
    private volatile boolean closed;

    private ReferenceServer(ServerConfig config, Injector injector, HttpFront front, TlsMaterial tls,
                            ScheduledExecutorService housekeeping, char[] initialAdminPassword, URI apiUri, URI webUri) {
        this.config = config;
        this.injector = injector;
        this.front = front;
        this.tls = tls;
        this.housekeeping = housekeeping;
        this.initialAdminPassword = initialAdminPassword;
        this.apiUri = apiUri;
        this.webUri = webUri;
    }

    /**
     * Starts a server: migrates the database, creates the first admin on an empty database, binds the HTTPS
     * connectors on the configured address and ports.
     *
     * @throws IOException              if the data dir, secrets, TLS material or ports are unusable
     * @throws GeneralSecurityException if the TLS material cannot be made or read
     */
    public static ReferenceServer start(ServerConfig config) throws IOException, GeneralSecurityException {
        Files.createDirectories(config.dataDir());
        // database, blobs, TLS key and secrets live here: owner only, also when the directory was there before
        io.mediastore.samples.server.internal.OwnerOnly.restrictDataDirectory(config.dataDir());
        TlsMaterial tls = config.tlsKeystore() != null
                ? TlsMaterial.load(config.tlsKeystore(), config.tlsKeystorePassword() == null ? new char[0]
                : config.tlsKeystorePassword().toCharArray())
                : TlsMaterial.loadOrCreate(config.dataDir().resolve("tls"), config.tlsHostnames());
        Runtime runtime = new Runtime(config.secretsFile());
        Injector injector = Guice.createInjector(new ServerModule(config, runtime));
        char[] oneTime = null;
        HttpFront front = null;
        ScheduledExecutorService hk = null;
        try {
            Users users = injector.getInstance(Users.class);
            if (users.count() == 0) {
                char[] pw = Users.oneTimePassword(new SecureRandom());
                try {
                    users.create(ADMIN, "Administrator", pw.clone(), List.of("admin"), List.of(), true);
                    oneTime = pw;
                } catch (RuntimeException e) {
                    // another node created the first admin at the same time
                    Arrays.fill(pw, '\0');
                    if (users.count() == 0) {
                        throw e;
                    }
                }
            }
            Api api = injector.getInstance(Api.class);
            String host = config.bindAddress().equals("127.0.0.1") || config.bindAddress().equals("0.0.0.0")
                    || config.bindAddress().equals("::") || config.bindAddress().equals("::1") ? "localhost" : config.bindAddress();
            front = new HttpFront(config.bindAddress(), config.apiPort(), config.webPort(), config.httpRedirectPort(), tls,
                    config.shutdownGrace(), api.router(), injector.getInstance(Sessions.class), runtime.corsOrigins(),
                    runtime.apiOrigin(), runtime::webOrigin, new WebContent(runtime.apiOrigin()));
            front.start();
            URI apiOrigin = config.publicApiUrl() != null ? config.publicApiUrl() : URI.create("https://" + host + ":" + front.apiPort());
            URI webOrigin = config.publicWebUrl() != null ? config.publicWebUrl() : URI.create("https://" + host + ":" + front.webPort());
            List<String> cors = new ArrayList<>(config.corsAllowedOrigins());
            if (cors.isEmpty()) {
                cors.add(strip(webOrigin));
            }
            runtime.urls(URI.create(strip(apiOrigin)), webOrigin, cors);
            Acl acl = injector.getInstance(Acl.class);
            Sessions sessions = injector.getInstance(Sessions.class);
            StorageKeys storageKeys = injector.getInstance(StorageKeys.class);
            hk = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mediastore-housekeeping");
                t.setDaemon(true);
                return t;
            });
            long poll = config.aclPollInterval().toMillis();
            hk.scheduleWithFixedDelay(() -> safely(acl::poll), poll, poll, TimeUnit.MILLISECONDS);
            LoginThrottle throttle = injector.getInstance(LoginThrottle.class);
            io.mediastore.tokens.spi.JdbcReplayGuard replayGuard = injector.getInstance(io.mediastore.tokens.spi.JdbcReplayGuard.class);
            io.mediastore.tokens.spi.JdbcRevocationList revocations = injector.getInstance(io.mediastore.tokens.spi.JdbcRevocationList.class);
            hk.scheduleWithFixedDelay(() -> safely(() -> {
                sessions.purgeExpired();
                throttle.purge();
                try {
                    // single-use counts and revocations of tokens long expired
                    replayGuard.purgeExpired(config.clock().instant());
                    revocations.purgeExpired(config.clock().instant(), io.mediastore.samples.server.internal.ServerModule.MAX_TOKEN_LIFETIME.plusMinutes(5));
                } catch (java.sql.SQLException e) {
                    throw new IllegalStateException("purging token records failed (SQL state " + e.getSQLState() + ")", e);
                }
            }), 1, 10, TimeUnit.MINUTES);
            hk.scheduleWithFixedDelay(() -> safely(() -> {
                try {
                    runtime.reloadSecrets();
                    storageKeys.update(runtime.secrets().get());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }), 5, 5, TimeUnit.SECONDS);
            injector.getInstance(VideoWorker.class);
            LOG.info("MediaStore reference server: API {} web {}", apiOrigin, webOrigin);
            return new ReferenceServer(config, injector, front, tls, hk, oneTime, apiOrigin, webOrigin);
        } catch (Exception e) {
            if (front != null) {
                front.close();
            }
            if (hk != null) {
                hk.shutdownNow();
            }
            closeComponents(injector);
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException("the server did not start", e);
        }
    }

    private static String strip(URI u) {
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("housekeeping task failed: {}", e.toString());
        }
    }

    /** The API origin, e.g. {@code https://localhost:8443} (the JSON API is under {@code /api/v1}). */
    public URI apiUri() {
        return apiUri;
    }

    /** The bound plain-HTTP redirect port, or -1 when off. */
    public int redirectPort() {
        return front.redirectPort();
    }

    /** The web app origin, e.g. {@code https://localhost:8444}. */
    public URI webUri() {
        return webUri;
    }

    /** The one-time password of the first admin; present only on the start that created it. */
    public Optional<char[]> initialAdminPassword() {
        return Optional.ofNullable(initialAdminPassword).map(char[]::clone);
    }

    /** The server certificate (self-signed unless a keystore was configured). */
    public X509Certificate certificate() {
        return tls.certificate();
    }

    /** A trust store with only the server certificate, for HTTP clients. */
    public KeyStore trustStore() {
        return tls.trustStore();
    }

    public ServerConfig config() {
        return config;
    }

    /** Rotates the token signing key now (every node switches within seconds; old tokens stay valid). */
    public void rotateTokenKey() {
        injector.getInstance(DbKeySource.class).rotate();
    }

    /** Stops gracefully: in-flight requests and uploads finish (up to the grace period), then everything closes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        front.close();
        housekeeping.shutdownNow();
        closeComponents(injector);
        if (initialAdminPassword != null) {
            Arrays.fill(initialAdminPassword, '\0');
        }
    }

    private static void closeComponents(Injector injector) {
        try {
            injector.getInstance(VideoWorker.class).close();
        } catch (RuntimeException ignored) {
            // not built
        }
        try {
            injector.getInstance(Acl.class).accessControl().close();
        } catch (RuntimeException ignored) {
            // not built
        }
        try {
            injector.getInstance(BlobStore.class).close();
        } catch (RuntimeException ignored) {
            // not built
        }
        try {
            injector.getInstance(HikariDataSource.class).close();
        } catch (RuntimeException ignored) {
            // not built
        }
    }

}
