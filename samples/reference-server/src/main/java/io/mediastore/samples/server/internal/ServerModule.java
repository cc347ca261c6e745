package io.mediastore.samples.server.internal;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.mediastore.acl.spi.JdbcPolicyStore;
import io.mediastore.hls.FfmpegTranscoder;
import io.mediastore.samples.server.ServerConfig;
import io.mediastore.storage.BlobStore;
import io.mediastore.storage.BlobStores;
import io.mediastore.storage.EncryptingBlobStore;
import io.mediastore.tokens.TokenService;
import io.mediastore.tokens.spi.JdbcReplayGuard;
import io.mediastore.tokens.spi.JdbcRevocationList;
import jakarta.inject.Singleton;
import org.flywaydb.core.Flyway;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Guice wiring of the reference server: every component is a singleton built from {@link ServerConfig}. */
public final class ServerModule extends AbstractModule {
    private final ServerConfig config;
    private final Runtime runtime;

    public ServerModule(ServerConfig config, Runtime runtime) {
        this.config = config;
        this.runtime = runtime;
    }

    @Override
    protected void configure() {
        bind(ServerConfig.class).toInstance(config);
        bind(Runtime.class).toInstance(runtime);
    }

    @Provides
    @Singleton
    HikariDataSource dataSource() {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(config.dbUrl());
        hc.setUsername(config.dbUser());
        hc.setPassword(config.dbPassword());
        hc.setMaximumPoolSize(config.dbPoolSize());
        hc.setMinimumIdle(1);
        hc.setPoolName("mediastore");
        hc.setConnectionTimeout(10_000);
        HikariDataSource ds = new HikariDataSource(hc);
        // schema migrations first; ACL and token tables are created by their own modules' idempotent DDL
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").table("ms_schema_history")
                .baselineOnMigrate(true).baselineVersion("0").load().migrate();
        return ds;
    }

    @Provides
    @Singleton
    Db db(HikariDataSource ds) {
        return new Db(ds);
    }

    @Provides
    @Singleton
    JdbcPolicyStore policyStore(HikariDataSource ds) {
        return new JdbcPolicyStore(ds);
    }

    @Provides
    @Singleton
    Acl acl(JdbcPolicyStore store) {
        return new Acl(store, config.clock());
    }

    @Provides
    @Singleton
    Users users(Db db, Acl acl) {
        return new Users(db, acl, runtime.hasher(), config.clock());
    }

    @Provides
    @Singleton
    Sessions sessions(Db db, Users users) {
        return new Sessions(db, users, config.clock(), config.sessionTtl());
    }

    @Provides
    @Singleton
    LoginThrottle throttle(Db db) {
        return new LoginThrottle(db, config.clock(), config.loginMaxFailuresPerUser(), config.loginMaxFailuresPerIp(),
                config.loginMaxBackoff());
    }

    @Provides
    @Singleton
    StorageKeys storageKeys() {
        return new StorageKeys(runtime.secrets().get());
    }

    @Provides
    @Singleton
    BlobStore blobStore(StorageKeys storageKeys) {
        BlobStores.Builder b = BlobStores.builder();
        if (config.s3AccessKey() != null && config.s3SecretKey() != null) {
            b.component(AwsCredentialsProvider.class,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create(config.s3AccessKey(), config.s3SecretKey())));
        }
        b.keyProvider(storageKeys);
        return b.build().openStore(config.blobUri());
    }

    @Provides
    @Singleton
    DbKeySource keySource(Db db) {
        return new DbKeySource(db, runtime.secrets(), config.clock(), Duration.ofSeconds(2),
                config.downloadMaxTtl().plusMinutes(5));
    }

    /** The longest token lifetime this server issues. */
    public static final Duration MAX_TOKEN_LIFETIME = Duration.ofHours(24).plusMinutes(1);

    @Provides
    @Singleton
    JdbcReplayGuard replayGuard(HikariDataSource ds) {
        return new JdbcReplayGuard(ds, config.clock()); // the token service's clock decides a token's window
    }

    @Provides
    @Singleton
    JdbcRevocationList revocationList(HikariDataSource ds) {
        return new JdbcRevocationList(ds);
    }

    @Provides
    @Singleton
    TokenService tokens(DbKeySource keys, JdbcReplayGuard replayGuard, JdbcRevocationList revocations) {
        return TokenService.builder(keys).clock(config.clock()).maxLifetime(MAX_TOKEN_LIFETIME)
                .replayGuard(replayGuard).revocationList(revocations).build();
    }

    @Provides
    @Singleton
    DbContentKeyStore contentKeys(Db db) {
        return new DbContentKeyStore(db, runtime.secrets(), config.clock());
    }

    @Provides
    @Singleton
    Assets assets(Db db) {
        return new Assets(db);
    }

    @Provides
    @Singleton
    VideoWorker video(Assets assets, BlobStore blobs, DbContentKeyStore keys) {
        return new VideoWorker(assets, blobs, keys, new FfmpegTranscoder(), config.hlsWorkers(), config.hlsSegmentSeconds());
    }

    @Provides
    @Singleton
    Health health(Db db, BlobStore blobs, DbKeySource keys, DbContentKeyStore contentKeys, StorageKeys storageKeys) {
        return new Health(db, blobs, keys, runtime.secrets(), name -> {
            Map<String, Object> out = new LinkedHashMap<>();
            switch (name) {
                case "token-keys" -> {
                    keys.rotate();
                    out.put("rotated", "token-keys");
                }
                case "token-wrap" -> {
                    runtime.rotate(Secrets.TOKEN_WRAP);
                    out.put("rewrapped", keys.rewrap());
                }
                case "pepper" -> {
                    runtime.rotate(Secrets.PEPPER);
                    out.put("rotated", "pepper");
                }
                case "hls-master" -> {
                    runtime.rotate(Secrets.HLS_MASTER);
                    out.put("rewrapped", contentKeys.rewrapAll());
                }
                case "storage-master" -> {
                    storageKeys.update(runtime.rotate(Secrets.STORAGE));
                    if (blobs instanceof EncryptingBlobStore enc) {
                        EncryptingBlobStore.RewrapReport report = enc.rewrapAll("");
                        out.put("rewrapped", report.rewrapped());
                        // blobs, or replicas' copies, maybe still under an old master key: it must not be dropped
                        // yet (each is in the log)
                        out.put("failed", report.failed());
                        out.put("copiesUnconfirmed", report.copiesUnconfirmed());
                    } else {
                        out.put("rewrapped", 0);
                        out.put("failed", 0);
                        out.put("copiesUnconfirmed", 0);
                    }
                }
                default -> throw ApiException.notFound();
            }
            out.put("status", "ok");
            return out;
        });
    }

    @Provides
    @Singleton
    Api api(Users users, Sessions sessions, LoginThrottle throttle, Acl acl, Assets assets, BlobStore blobs, TokenService tokens,
            DbContentKeyStore contentKeys, VideoWorker video, Health health) {
        return new Api(config, users, sessions, throttle, runtime.hasher(), acl, assets, blobs, tokens, contentKeys, video,
                runtime.apiOrigin(), runtime.corsOrigins(), health);
    }

}
